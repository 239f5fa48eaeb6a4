using k8s.Models;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// The port reads the GPU Operator's ConfigMaps in the operator's namespace over the real client (list, then watch),
/// and each snapshot carries the configs they hold, read again when one changes.
/// </summary>
public sealed class GpuOperatorConfigMapsTests : IAsyncDisposable
{
    private readonly FakeApiServer server = new();
    private readonly k8s.Kubernetes client;
    private readonly KubernetesClusterPort port;
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));

    public GpuOperatorConfigMapsTests()
    {
        client = server.Client();
        port = new KubernetesClusterPort(client, TimeProvider.System, new ClusterPortOptions
        {
            GpuOperator = new GpuOperatorSource("gpu-operator", "custom-mig", "device-plugin", "default", MigStrategies.Mixed),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await port.DisposeAsync();
        client.Dispose();
        server.Dispose();
        timeout.Dispose();
    }

    private static V1ConfigMap Map(string ns, string name, Dictionary<string, string> data) =>
        new() { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data };

    [Fact]
    public async Task Snapshot_OperatorConfigMaps_AreReadWithTheNamesGivenAndFollowChanges()
    {
        server.Put(FakeResource.ConfigMaps, Map("gpu-operator", "device-plugin", new() { ["default"] = "version: v1\n", ["sliced"] = "version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 2\n" }));
        // The same name in another namespace is not the operator's.
        server.Put(FakeResource.ConfigMaps, Map("default", "custom-mig", new() { ["config.yaml"] = "version: v1\nmig-configs:\n  only-here: []\n" }));
        await port.StartAsync(timeout.Token);

        var first = (await port.SnapshotAsync(timeout.Token)).GpuOperator;
        Assert.Equal(["default", "sliced"], first.DevicePlugin.Keys);
        Assert.Equal(MigStrategies.Mixed, first.DefaultMigStrategy);
        Assert.Same(MigPartedConfig.OperatorDefaults, first.Mig);
        Assert.Same(first, (await port.SnapshotAsync(timeout.Token)).GpuOperator);

        server.Put(FakeResource.ConfigMaps, Map("gpu-operator", "custom-mig", new() { ["config.yaml"] = "version: v1\nmig-configs:\n  all-disabled:\n    - devices: all\n      mig-enabled: false\n" }));
        await Poll.UntilAsync(async () => (await port.SnapshotAsync(timeout.Token)).GpuOperator.MigSource == "ConfigMap gpu-operator/custom-mig", () => "the MIG ConfigMap did not arrive");

        Assert.Equal(["all-disabled"], (await port.SnapshotAsync(timeout.Token)).GpuOperator.Mig.Layouts.Keys);
        Assert.Contains(server.Requests, r => r.Path.StartsWith("/api/v1/namespaces/gpu-operator/configmaps", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/api/v1/configmaps", StringComparison.Ordinal));
    }
}
