using System.Net;
using Amazon.Runtime;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cli;
using Platform.Autoscaler.Service;
using Platform.Autoscaler.Tests.Kubernetes;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Service;

/// <summary>
/// What the service tells an operator when its peers fail: the API server or AWS unreachable, a fatal startup error,
/// an unusable kubeconfig. Each is one line naming what failed, a probe that says so, and the right exit code.
/// </summary>
public sealed class ServiceDiagnosticsTests : IDisposable
{
    private readonly FakeApiServer server = new();
    private readonly string folder = Directory.CreateTempSubdirectory("diagnostics-").FullName;

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Run_AwsUnreachable_ReadyzNamesItAndEachFailingCallIsOneLineWithoutAStack()
    {
        server.Put(FakeResource.NodeClasses, new EC2NodeClass
        {
            ApiVersion = EC2NodeClass.GroupVersion, Kind = EC2NodeClass.KindName, Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new EC2NodeClassSpec
            {
                Role = "node", AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
                SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["a"] = "b" } }],
                SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = new Dictionary<string, string> { ["a"] = "b" } }],
            },
        });
        var logs = new CapturedLogs();
        var settings = Settings() with { AwsEndpoint = $"http://127.0.0.1:{Loopback.FreePort()}" };
        using var client = server.Client();
        await using var app = AutoscalerService.Build(settings, client, awsCredentials: new BasicAWSCredentials("test", "test"), listen: IPAddress.Loopback, extraLogs: logs);
        await app.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        string readyz = "";
        await Poll.UntilAsync(async () =>
        {
            var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{settings.HealthPort}/readyz"));
            readyz = await answer.Content.ReadAsStringAsync();
            return answer.StatusCode == HttpStatusCode.ServiceUnavailable && readyz.Contains("AWS unreachable", StringComparison.Ordinal);
        }, () => $"/readyz never said AWS is unreachable; last answer: {readyz}", TimeSpan.FromSeconds(60));
        Assert.Contains("ec2 Describe", readyz, StringComparison.Ordinal);

        var lines = logs.Lines;
        Assert.True(lines.Any(l => l.Message.StartsWith("aws ec2 Describe", StringComparison.Ordinal) && l.Message.Contains("failed: ", StringComparison.Ordinal)),
            string.Join("\n", lines.Select(l => l.Message)));
        Assert.All(lines.Where(l => l.Level >= LogLevel.Warning), l => Assert.True(l.Error is null, $"logged with a stack: {l.Message}\n{l.Error}"));
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.MetricsPort}/metrics"));
        Assert.Contains("autoscaler_cloud_request_errors_total{service=\"ec2\"", metrics, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Run_ApiServerUnreachable_EachListFailureIsLoggedWithItsUrlAndCounted()
    {
        var logs = new CapturedLogs();
        var settings = Settings();
        var closed = $"https://127.0.0.1:{Loopback.FreePort()}";
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = closed, SkipTlsVerify = true });
        await using var app = AutoscalerService.Build(settings, client, listen: IPAddress.Loopback, extraLogs: logs);
        await app.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // Eight kinds, and the GPU Operator's ConfigMaps in its namespace.
        await Poll.UntilAsync(() => logs.Lines.Count(l => l.Message.StartsWith("kubernetes list ", StringComparison.Ordinal)) >= 9,
            () => "not every informer logged its failed list", TimeSpan.FromSeconds(30));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith($"kubernetes list {closed}/api/v1/pods failed 1 time(s) in a row: Connection refused", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith($"kubernetes list {closed}/api/v1/namespaces/gpu-operator/configmaps failed", StringComparison.Ordinal));
        var readyz = await http.GetAsync(new Uri($"http://127.0.0.1:{settings.HealthPort}/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Contains("pods: Connection refused", await readyz.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.MetricsPort}/metrics"));
        Assert.Contains("autoscaler_kubernetes_list_watch_errors_total{request=\"list pods\"}", metrics, StringComparison.Ordinal);

        // Rate-limited: the informers retry every 100 ms to 30 s, and each logs at most a line a minute.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.InRange(logs.Lines.Count(l => l.Message.StartsWith("kubernetes list ", StringComparison.Ordinal)), 9, 9);
        await app.StopAsync();
    }

    [Fact]
    public async Task Run_VersionAnswers404_StopsWithOneLineAndExitCode1()
    {
        server.FailNext(r => r.Path.TrimEnd('/') == "/version", 100, HttpStatusCode.NotFound);
        var kubeconfig = Kubeconfig(server.Url);
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(
            ["run", "--kubeconfig", kubeconfig, .. Flags(Settings())], TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(ExitCodes.Invalid, code);
    }

    [Fact]
    public async Task Run_FatalError_HostRecordsItOnceWithoutAStack()
    {
        server.FailNext(r => r.Path.TrimEnd('/') == "/version", 100, HttpStatusCode.NotFound);
        var logs = new CapturedLogs();
        using var client = server.Client();
        await using var app = AutoscalerService.Build(Settings(), client, listen: IPAddress.Loopback, extraLogs: logs);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await app.StartAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
        {
            // The fatal error stopped the host while it was still binding its ports (AutoscalerService.RunAsync's case).
        }

        await app.WaitForShutdownAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "the host did not stop on the fatal error");
        Assert.Contains("404", app.Services.GetRequiredService<ServiceHealth>().Fatal, StringComparison.Ordinal);
        var fatal = Assert.Single(logs.Lines, l => l.Level == LogLevel.Critical);
        Assert.StartsWith("the autoscaler stopped: 404 NotFound", fatal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("BackgroundService failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "it has no usable current context, cluster and user")]
    [InlineData("garbage: [", "not YAML at line")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: []\n", "Cannot infer server host url")]
    public async Task Run_UnusableKubeconfig_ExitsTwoWithAMessageNamingTheFile(string content, string reason)
    {
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, content);
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(["run", "--kubeconfig", kubeconfig, .. Flags(Settings())], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"run: cannot reach the cluster: kubeconfig {kubeconfig}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(5, 1, 16)]
    [InlineData(9, 1, 60)]
    [InlineData(3, 10, 40)]
    [InlineData(30, 0, 60)]
    public void FailureBackoff_DoublesFromTheLongerOfPeriodAndASecond_UpToAMinute(int failedInARow, int periodSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(failedInARow == 0 ? periodSeconds : expectedSeconds),
            Platform.Autoscaler.Controllers.AutoscalerControllers.FailureBackoff(TimeSpan.FromSeconds(periodSeconds), failedInARow));

    private RunSettings Settings()
    {
        var ca = Path.Combine(folder, "ca.pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        return new RunSettings
        {
            ClusterName = "diagnostics", Region = "us-east-1", ClusterEndpoint = "https://api.example", ClusterCaFile = ca,
            LeaderElection = false, MetricsPort = Loopback.FreePort(), HealthPort = Loopback.FreePort(),
        };
    }

    private static string[] Flags(RunSettings settings) =>
    [
        "--cluster-name", settings.ClusterName, "--region", settings.Region, "--cluster-endpoint", settings.ClusterEndpoint,
        "--cluster-ca-file", settings.ClusterCaFile, "--leader-elect", "false",
        "--metrics-port", $"{settings.MetricsPort}", "--health-probe-port", $"{settings.HealthPort}",
    ];

    private string Kubeconfig(string server)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster: {"{"}server: "{server}"{"}"}
            users:
            - name: u
              user: {"{"}token: t{"}"}
            contexts:
            - name: fake
              context: {"{"}cluster: fake, user: u{"}"}
            current-context: fake
            """);
        return path;
    }
}
