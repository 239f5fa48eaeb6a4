using System.Diagnostics;
using System.Text;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// One <c>platform-autoscaler run</c> process, the service binary built beside the tests, configured by environment
/// variables as the stack's Deployment configures it. <see cref="Kill"/> is SIGKILL: no shutdown, no Lease release,
/// nothing flushed; whatever the process had not sent is lost, as when a node dies or the OOM killer strikes.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly StringBuilder log = new();
    private readonly CancellationTokenSource dead = new();
    private Process? process;
    private int killed;

    /// <summary>A process not started yet: its proxies are made first, since its configuration names their ports.</summary>
    public ServiceProcess(string name) => Name = name;

    /// <summary>The pod name it runs as (its identity in the Lease).</summary>
    public string Name { get; }

    /// <summary>Cancelled once the process was killed and is gone: its proxies drop what they hold.</summary>
    public CancellationToken Dead => dead.Token;

    /// <summary>Whether <see cref="Kill"/> ended it.</summary>
    public bool WasKilled => Volatile.Read(ref killed) == 1;

    /// <summary>Whether it ended, killed or by itself.</summary>
    public bool HasExited => process?.HasExited == true;

    /// <summary>The exit code once it ended.</summary>
    public int? ExitCode => process?.HasExited == true ? process.ExitCode : null;

    /// <summary>Its standard output and error so far (JSON log lines).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>The service binary the test project's build copies beside the tests.</summary>
    public static string Executable() => Path.Combine(AppContext.BaseDirectory, "platform-autoscaler");

    /// <summary>Starts <c>platform-autoscaler run</c> with exactly <paramref name="environment"/> (plus PATH and HOME).</summary>
    public void Start(IReadOnlyDictionary<string, string> environment)
    {
        if (process is not null)
        {
            throw new InvalidOperationException($"{Name} was started already");
        }

        var start = new ProcessStartInfo(Executable(), ["run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        // Nothing of the test's own environment (a KUBECONFIG, AWS settings) may leak into the service.
        start.Environment.Clear();
        foreach (var inherited in (ReadOnlySpan<string>)["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"])
        {
            if (Environment.GetEnvironmentVariable(inherited) is { } value)
            {
                start.Environment[inherited] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("platform-autoscaler did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGTERM, as the kubelet stops a container; true when the process then exits within <paramref name="patience"/>.</summary>
    public bool Terminate(TimeSpan patience)
    {
        if (process is null)
        {
            return true;
        }

        using (var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start"))
        {
            signal.WaitForExit();
        }

        return process.WaitForExit(patience);
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref killed, 1) == 1)
        {
            return;
        }

        if (process is not null)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // ended by itself meanwhile
            }

            process.WaitForExit();
        }

        // Only now its connections drop: a dead process hears nothing, and logs nothing about it.
        dead.Cancel();
    }

    /// <summary>The last <paramref name="lines"/> log lines, each cut to 400 characters, for a failure message.</summary>
    public string Tail(int lines = 40) => string.Join("\n", Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines)
        .Select(l => l.Length > 400 ? l[..400] + "..." : l));

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        dead.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Append(line).Append('\n');
        }
    }
}
