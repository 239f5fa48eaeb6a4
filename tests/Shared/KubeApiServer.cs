using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Platform.Tests.Shared;

/// <summary>
/// A real Kubernetes 1.26 control plane (etcd, kube-apiserver and, unless left out, kube-controller-manager) on
/// 127.0.0.1, started by the shared tool <c>shared/tools/kube-apiserver/control-plane.sh</c> in a temporary folder
/// and stopped on dispose. One per test class or collection (an xunit fixture); each test takes its own namespace.
/// The binaries are found as the tool's README says: <c>KUBE_APISERVER_BIN</c>, else <c>$KUBE_BINDIR/kube-apiserver</c>;
/// etcd from <c>ETCD_BIN</c>, <c>$KUBE_BINDIR/etcd</c> or PATH. Where they are missing, <see cref="SkipReason"/> says
/// why and the tests that need the server are skipped (CI included: the binaries are built by hand, never by a test).
/// </summary>
public class KubeApiServer : IDisposable
{
    private readonly string workDir = Path.Combine(Path.GetTempPath(), "kube-apiserver-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string script;
    private int namespaces;

    /// <summary>Starts the control plane; about 10 s.</summary>
    /// <param name="controllerManager">Also run kube-controller-manager (namespace deletion, garbage collection, ServiceAccounts).</param>
    public KubeApiServer(bool controllerManager = true)
    {
        if (SkipReason() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        script = ControlPlaneScript()!;
        var (exit, output, log) = Run(script, ["start", BinDir()!, workDir], controllerManager ? null : ("KCM", "0"), TimeSpan.FromSeconds(180));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (exit != 0 || lines.Length == 0 || !File.Exists(lines[^1]))
        {
            Stop();
            throw new InvalidOperationException($"control-plane.sh start failed (exit {exit}):\n{output}{log}");
        }

        KubeconfigPath = lines[^1];
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    /// <summary>The admin kubeconfig (system:masters).</summary>
    public string KubeconfigPath { get; } = "";

    /// <summary>An admin client.</summary>
    public IKubernetes Client { get; } = null!;

    /// <summary>The folder with the control plane's logs (<c>logs/audit.log</c> has every request) and certificates.</summary>
    public string WorkDir => workDir;

    /// <summary>Why the real API server cannot run here, or null when it can.</summary>
    public static string? SkipReason()
    {
        if (BinDir() is null)
        {
            return "real kube-apiserver not found: build it with shared/tools/kube-apiserver/build.sh and set KUBE_BINDIR (or KUBE_APISERVER_BIN)";
        }

        if (EtcdBin() is null)
        {
            return "etcd not found: set ETCD_BIN, put etcd in $KUBE_BINDIR, or install etcd-server";
        }

        return ControlPlaneScript() is null
            ? "shared/tools/kube-apiserver/control-plane.sh not found in any folder above the tests"
            : null;
    }

    /// <summary>A new namespace for one test, named after it; deleted with the control plane at the latest.</summary>
    public async Task<string> CreateNamespaceAsync(string test, CancellationToken cancellationToken = default)
    {
        var stem = new string([.. test.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]).Trim('-');
        var name = $"{(stem.Length > 40 ? stem[..40] : stem).TrimEnd('-')}-{Interlocked.Increment(ref namespaces)}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs kubectl against this server; stdin is written to its standard input when given.</summary>
    public (int Exit, string Output) Kubectl(string? stdin, params string[] args)
    {
        var (exit, output, error) = Run("kubectl", ["--kubeconfig", KubeconfigPath, .. args], null, TimeSpan.FromSeconds(60), stdin);
        return (exit, output + error);
    }

    /// <summary>Whether kubectl is on PATH.</summary>
    public static bool HasKubectl() => OnPath("kubectl") is not null;

    /// <summary>Stops every process this control plane started and removes its folder.</summary>
    public void Dispose()
    {
        Client?.Dispose();
        Stop();
        GC.SuppressFinalize(this);
    }

    private void Stop()
    {
        if (Directory.Exists(workDir))
        {
            Run(script, ["stop", workDir], null, TimeSpan.FromSeconds(60));
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static string? BinDir()
    {
        if (Environment.GetEnvironmentVariable("KUBE_APISERVER_BIN") is { Length: > 0 } apiserver && File.Exists(apiserver))
        {
            return Environment.GetEnvironmentVariable("KUBE_BINDIR") is { Length: > 0 } dir ? dir : Path.GetDirectoryName(apiserver);
        }

        return Environment.GetEnvironmentVariable("KUBE_BINDIR") is { Length: > 0 } bindir && File.Exists(Path.Combine(bindir, "kube-apiserver"))
            ? bindir
            : null;
    }

    private static string? EtcdBin() =>
        Environment.GetEnvironmentVariable("ETCD_BIN") is { Length: > 0 } etcd && File.Exists(etcd) ? etcd
        : BinDir() is { } dir && File.Exists(Path.Combine(dir, "etcd")) ? Path.Combine(dir, "etcd")
        : OnPath("etcd");

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    // The shared tools sit beside the checkout (../shared) or further up; the tests run from bin/<config>/<tfm>.
    private static string? ControlPlaneScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "tools", "kube-apiserver", "control-plane.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int Exit, string Output, string Error) Run(string file, string[] args, (string Name, string Value)? env, TimeSpan timeout, string? stdin = null)
    {
        var start = new ProcessStartInfo(file == "kubectl" ? file : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        if (file != "kubectl")
        {
            start.ArgumentList.Add(file);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (env is { } variable)
        {
            start.Environment[variable.Name] = variable.Value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran longer than {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
