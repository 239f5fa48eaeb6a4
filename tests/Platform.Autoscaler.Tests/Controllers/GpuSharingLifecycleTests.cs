using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Planning;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// A node whose GPUs are split by MIG initializes only once the MIG manager reports and the device plugin advertises the
/// layout's devices; until then it counts as its claim expects (not the whole GPU it reports first), and a node that
/// advertises something else is a GpuSharingMismatch event and metric, then counted as it is.
/// </summary>
public sealed class GpuSharingLifecycleTests
{
    private const string MigResource = "nvidia.com/mig-1g.10gb";

    private static LifecycleWorld World(ControllerOptions? options = null)
    {
        var world = new LifecycleWorld(options);
        world.Cluster.Apply(NodeClass("default"));
        var pool = Pool("mig", "default", null,
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["p5.4xlarge"] },
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.CapacityType, Operator = Operators.In, Values = ["on-demand"] });
        pool.Spec = pool.Spec! with
        {
            Template = pool.Spec.Template! with
            {
                Metadata = new NodeClaimTemplateMetadata { Labels = new GpuSharingSpec("all-1g.10gb", "mixed").ToLabels().ToDictionary() },
            },
        };
        world.Cluster.Apply(pool);
        world.Cluster.Apply(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "device-plugin-config", NamespaceProperty = "gpu-operator" },
            Data = new Dictionary<string, string> { ["mixed"] = "version: v1\nflags:\n  migStrategy: mixed\n" },
        });
        return world;
    }

    private static V1Pod MigPod(string name)
    {
        var pod = Pod(name);
        pod.Spec.Containers[0].Resources.Limits = new Dictionary<string, ResourceQuantity> { [MigResource] = new("1") };
        return pod;
    }

    /// <summary>The MIG manager finishes: the state label, and the device plugin's resources in place of the whole GPU.</summary>
    private static void Partitioned(LifecycleWorld world, string node, long instances, string state = NvidiaLabels.MigConfigStates.Success) =>
        world.Cluster.UpdateNode(node, n =>
        {
            n.Metadata.Labels[NvidiaLabels.MigConfigState] = state;
            n.Status.Allocatable = new Dictionary<string, ResourceQuantity>(n.Status.Allocatable.Where(a => a.Key != WellKnownResources.NvidiaGpu))
            {
                [MigResource] = new(instances.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
        });

    private static bool Initialized(LifecycleWorld world) => NodeClaimConditions.IsTrue(world.Claims.Single(), NodeClaimConditions.Initialized);

    [Fact]
    public async Task Initialize_MigNodeReportsItsWholeGpuFirst_WaitsForTheMigManagerThenInitializes()
    {
        var world = World();
        var claim = await world.LaunchForAsync(MigPod("embedder"));
        Assert.Equal("7", world.Claims.Single().Status!.Capacity![MigResource].ToString());
        Assert.False(world.Claims.Single().Status!.Capacity!.ContainsKey(WellKnownResources.NvidiaGpu));

        // Ready with the H100 whole (nvidia.com/gpu: 1), as the device plugin advertises it before the MIG manager runs.
        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        world.MarkReady(node, WellKnownTaints.NotReady, WellKnownTaints.Unregistered);
        await world.RunAsync(TimeSpan.FromMinutes(2), () => Assert.False(Initialized(world), "initialized before the MIG manager reported"));
        Assert.Single(world.Claims);

        Partitioned(world, node, 7);
        await world.RunUntilAsync(() => Initialized(world), TimeSpan.FromSeconds(30), "initialization");
        Assert.DoesNotContain(world.Cluster.Events, e => e.Reason == "GpuSharingMismatch");
    }

    [Fact]
    public async Task View_MigNodeNotInitialized_CountsTheClaimsMigDevicesNotTheWholeGpuItReports()
    {
        var world = World();
        var claim = await world.LaunchForAsync(MigPod("embedder"));
        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        world.MarkReady(node, WellKnownTaints.NotReady, WellKnownTaints.Unregistered);

        var view = ClusterView.Build(world.Cluster.Snapshot(), await world.Context.CatalogAsync(CancellationToken.None), new ResolvedTypes(), new HashSet<(string, string, string)>());

        var counted = view.SchedulingNodes.Single(n => n.Name == node).Allocatable;
        Assert.Equal(7, counted[MigResource]);
        Assert.Equal(0, counted[WellKnownResources.NvidiaGpu]);
    }

    [Fact]
    public async Task Initialize_MigManagerSucceedsWithFewerDevices_MismatchEventAndMetricAndCountedAsItIs()
    {
        var world = World();
        var claim = await world.LaunchForAsync(MigPod("embedder"));
        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        world.MarkReady(node, WellKnownTaints.NotReady, WellKnownTaints.Unregistered);
        Partitioned(world, node, 4);

        await world.RunUntilAsync(() => Initialized(world), TimeSpan.FromSeconds(30), "initialization");

        var mismatch = Assert.Single(world.Cluster.Events, e => e.Reason == "GpuSharingMismatch" && e.Kind == NodeClaim.KindName);
        Assert.Equal($"node {node} advertises nvidia.com/mig-1g.10gb=4 where layout all-1g.10gb with device plugin config mixed makes nvidia.com/mig-1g.10gb=7; it is planned with what it advertises", mismatch.Message);
        Assert.Contains(world.Cluster.Events, e => e.Reason == "GpuSharingMismatch" && e.Kind == "Node" && e.Name == node);
        Assert.Equal(1, world.Context.Metrics.GpuSharingMismatches.WithLabels("mig", "mismatch").Value);
        var view = ClusterView.Build(world.Cluster.Snapshot(), await world.Context.CatalogAsync(CancellationToken.None), new ResolvedTypes(), new HashSet<(string, string, string)>());
        Assert.Equal(4, view.SchedulingNodes.Single(n => n.Name == node).Allocatable[MigResource]);
    }

    [Fact]
    public async Task Initialize_MigManagerFails_MismatchWithTheFailedReason()
    {
        var world = World();
        var claim = await world.LaunchForAsync(MigPod("embedder"));
        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        world.MarkReady(node, WellKnownTaints.NotReady, WellKnownTaints.Unregistered);
        world.Cluster.UpdateNode(node, n => n.Metadata.Labels[NvidiaLabels.MigConfigState] = NvidiaLabels.MigConfigStates.Failed);

        await world.RunUntilAsync(() => Initialized(world), TimeSpan.FromSeconds(30), "initialization");

        Assert.Contains(world.Cluster.Events, e => e.Reason == "GpuSharingMismatch" && e.Message.Contains("nvidia.com/mig.config.state=failed", StringComparison.Ordinal));
        Assert.Equal(1, world.Context.Metrics.GpuSharingMismatches.WithLabels("mig", "failed").Value);
    }

    [Fact]
    public async Task Initialize_MigManagerNeverReports_TimesOutAsAMismatch()
    {
        var world = World(new ControllerOptions { NameSeed = 7, GpuSharingTimeout = TimeSpan.FromMinutes(3) });
        var claim = await world.LaunchForAsync(MigPod("embedder"));
        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        world.MarkReady(node, WellKnownTaints.NotReady, WellKnownTaints.Unregistered);

        await world.RunAsync(TimeSpan.FromMinutes(2), () => Assert.False(Initialized(world)));
        await world.RunUntilAsync(() => Initialized(world), TimeSpan.FromMinutes(2), "initialization after the timeout");

        Assert.Contains(world.Cluster.Events, e => e.Reason == "GpuSharingMismatch"
            && e.Message.Contains("the MIG manager did not report success within 3m: nvidia.com/mig.config.state=unset", StringComparison.Ordinal));
    }
}
