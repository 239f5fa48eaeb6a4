using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Tests.Kubernetes;

namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>
/// One run of the autoscaler service: its own client, informers, controllers and memory, over the shared API server
/// and cloud. A crash is the end of one of these; the next starts from nothing but what the cluster and cloud hold.
/// </summary>
internal sealed class AutoscalerProcess : IAsyncDisposable
{
    private readonly k8s.Kubernetes client;
    private readonly KubernetesClusterPort port;
    private readonly EndToEndWorld world;

    private AutoscalerProcess(EndToEndWorld world, CrashPoint? crash, int generation)
    {
        this.world = world;
        client = world.Server.Client();
        port = new KubernetesClusterPort(client, TimeProvider.System, new ClusterPortOptions { Instance = $"replica-{generation}" });
        Switch = new CrashSwitch(crash);
        // Each run names its NodeClaims from its own seed, as separate processes would not repeat each other.
        var context = new ControllerContext(new CrashingClusterPort(port, Switch), new CrashingCloud(world.Cloud, Switch), world.Clock,
            new ControllerOptions { ClusterName = "e2e", NameSeed = generation }, new AutoscalerMetrics(), NullLogger.Instance);
        Controllers = new AutoscalerControllers(context);
    }

    public CrashSwitch Switch { get; }

    public AutoscalerControllers Controllers { get; }

    public static async Task<AutoscalerProcess> StartAsync(EndToEndWorld world, CrashPoint? crash, int generation)
    {
        var process = new AutoscalerProcess(world, crash, generation);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.port.StartAsync(timeout.Token);
        return process;
    }

    /// <summary>Waits until the informers show what the server holds, so a pass sees the last step's writes.</summary>
    public Task SettleAsync() => Poll.UntilAsync(async () =>
    {
        var snapshot = await port.SnapshotAsync(CancellationToken.None);
        return Same(snapshot.Pods.Select(p => (p.Metadata.Name, p.Metadata.ResourceVersion)), FakeResource.Pods)
            && Same(snapshot.Nodes.Select(n => (n.Metadata.Name, n.Metadata.ResourceVersion)), FakeResource.Nodes)
            && Same(snapshot.NodeClaims.Select(c => (c.Metadata.Name, c.Metadata.ResourceVersion)), FakeResource.NodeClaims);
    }, () => "the informers did not catch up with the server");

    public Task RunOnceAsync() => Controllers.RunOnceAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await port.DisposeAsync();
        client.Dispose();
    }

    private bool Same(IEnumerable<(string Name, string ResourceVersion)> seen, FakeResource resource) =>
        seen.ToHashSet().SetEquals(world.Server.Store.Items(resource)
            .Select(o => (o["metadata"]!["name"]!.GetValue<string>(), o["metadata"]!["resourceVersion"]!.GetValue<string>())));
}
