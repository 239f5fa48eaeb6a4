using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// A new node is NotReady first (the API server taints it node.kubernetes.io/not-ready; on EKS for 10-60 s while the
/// CNI starts): its NodeClaim stays the capacity the pending pod waits for, with the taints Karpenter ignores while a
/// node initializes ignored, so no second instance is bought.
/// </summary>
public sealed class NotReadyNodeTests
{
    private static readonly Taint AgentNotReady = new() { Key = "example.com/agent-not-ready", Effect = TaintEffects.NoSchedule };

    /// <summary>A pool of m5.large with a template label and a startup taint, and its class.</summary>
    private static void Pools(InMemoryCluster cluster, IList<Taint>? taints = null)
    {
        cluster.Apply(NodeClass("default"));
        var pool = Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] });
        pool.Spec = pool.Spec! with
        {
            Template = pool.Spec.Template! with
            {
                Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["team"] = "ml" } },
                Spec = pool.Spec.Template.Spec! with { StartupTaints = [AgentNotReady], Taints = taints },
            },
        };
        cluster.Apply(pool);
    }

    private static V1Pod TeamPod(string name)
    {
        var pod = Pod(name);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["team"] = "ml" };
        return pod;
    }

    [Fact]
    public async Task Provisioner_NodeNotReadyForMinutes_PodWaitsForItAndNoSecondNodeClaimIsBought()
    {
        var world = new LifecycleWorld();
        Pools(world.Cluster);
        var claim = await world.LaunchForAsync(TeamPod("web"));
        Assert.Single(world.Claims);

        // The kubelet registers the node with the startup taint; it stays NotReady for three re-solves of the batch.
        var node = world.Register(world.InstanceOf(claim), new V1Taint { Key = AgentNotReady.Key, Effect = AgentNotReady.Effect });
        await world.RunAsync(TimeSpan.FromSeconds(100), () =>
        {
            Assert.True(world.Claims.Count == 1, $"a second NodeClaim was bought while {node.Metadata.Name} was NotReady: {string.Join(", ", world.Claims.Select(c => c.Metadata.Name))}");
            Assert.Single(world.Cloud.All);
        });
        Assert.True(NodeClaimConditions.IsTrue(world.Claims.Single(), NodeClaimConditions.Registered));
        Assert.Contains(world.Cluster.Events, e => e.Reason == "Nominated" && e.Name == "web" && e.Message.EndsWith($"nodeclaim/{claim}", StringComparison.Ordinal));

        world.MarkReady(node.Metadata.Name, AgentNotReady.Key!);
        await world.RunUntilAsync(() => NodeClaimConditions.IsTrue(world.Claims.Single(), NodeClaimConditions.Initialized), TimeSpan.FromSeconds(10), "initialization");
        Assert.Single(world.Cloud.All);
    }

    [Fact]
    public async Task View_NodeNotYetRegistered_HasItsClaimsLabelsAndTaints_WithoutTheStartingTaints()
    {
        var cluster = new InMemoryCluster(TimeProvider.System);
        Pools(cluster, taints: [new Taint { Key = WellKnownTaints.NvidiaGpu, Effect = TaintEffects.NoSchedule }]);
        var claim = LaunchedClaim("default-abcde", "m5.large");
        await cluster.CreateNodeClaimAsync(claim, CancellationToken.None);
        await cluster.UpdateNodeClaimStatusAsync(claim.Metadata.Name, claim.Status!, CancellationToken.None);
        // As the kubelet registers it, before the autoscaler's registration patch: no pool label, no pool taint.
        cluster.Apply(KubeletNode.For(Instance("m5.large"), Type("m5.large"),
        [
            new V1Taint { Key = WellKnownTaints.Unregistered, Effect = TaintEffects.NoExecute },
            new V1Taint { Key = AgentNotReady.Key, Effect = AgentNotReady.Effect },
            new V1Taint { Key = WellKnownTaints.Uninitialized, Effect = TaintEffects.NoSchedule, Value = "true" },
            new V1Taint { Key = "readiness.k8s.io/network", Effect = TaintEffects.NoSchedule },
        ]));

        var node = View(cluster).SchedulingNodes.Single();

        Assert.False(node.InFlight);
        Assert.Equal("ml", node.Labels["team"]);
        Assert.Equal("default", node.NodePool);
        Assert.Equal(["nvidia.com/gpu:NoSchedule"], node.Taints.Select(t => $"{t.Key}:{t.Effect}"));
    }

    [Fact]
    public async Task View_InitializedNodeNotReadyAgain_CountsTheNotReadyTaint()
    {
        var cluster = new InMemoryCluster(TimeProvider.System);
        Pools(cluster);
        var claim = LaunchedClaim("default-abcde", "m5.large");
        var now = LifecycleWorld.Start;
        var status = NodeClaimConditions.With(NodeClaimConditions.With(claim.Status, NodeClaimConditions.Registered, "Registered", "", now), NodeClaimConditions.Initialized, "Initialized", "", now);
        await cluster.CreateNodeClaimAsync(claim, CancellationToken.None);
        await cluster.UpdateNodeClaimStatusAsync(claim.Metadata.Name, status, CancellationToken.None);
        // Its kubelet stopped: the taint is no longer one that goes away by itself.
        cluster.Apply(KubeletNode.For(Instance("m5.large"), Type("m5.large"), []));

        var node = View(cluster).SchedulingNodes.Single();

        Assert.Equal([WellKnownTaints.NotReady], node.Taints.Select(t => t.Key));
    }

    [Theory]
    [InlineData(WellKnownTaints.NotReady, TaintEffects.NoSchedule, true)]
    [InlineData(WellKnownTaints.NotReady, TaintEffects.NoExecute, true)]
    [InlineData(WellKnownTaints.Unreachable, TaintEffects.NoSchedule, true)]
    [InlineData(WellKnownTaints.Unreachable, TaintEffects.NoExecute, false)]
    [InlineData(WellKnownTaints.Uninitialized, TaintEffects.NoSchedule, true)]
    [InlineData(WellKnownTaints.Unregistered, TaintEffects.NoExecute, true)]
    [InlineData(WellKnownTaints.Unregistered, TaintEffects.NoSchedule, false)]
    [InlineData("readiness.k8s.io/cni", TaintEffects.NoSchedule, true)]
    [InlineData(WellKnownTaints.NvidiaGpu, TaintEffects.NoSchedule, false)]
    [InlineData(WellKnownTaints.Disrupted, TaintEffects.NoSchedule, false)]
    public void IsEphemeral_KarpentersKnownEphemeralTaints_MatchByKeyAndEffect(string key, string effect, bool ephemeral) =>
        Assert.Equal(ephemeral, StartupTaints.IsEphemeral(key, effect));

    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    private static ClusterView View(InMemoryCluster cluster) => ClusterView.Build(cluster.Snapshot(), Catalog, new ResolvedTypes(), new HashSet<(string, string, string)>());

    private static Core.Catalog.InstanceType Type(string name) => new ResolvedTypes().For(Catalog, null, new HashSet<(string, string, string)>()).Single(t => t.Name == name);

    private static Core.Ports.CloudInstance Instance(string type) => new("aws:///us-east-1a/i-0abc", "default-abcde", type, "us-east-1a", "on-demand", 0.096, LifecycleWorld.Start);

    private static NodeClaim LaunchedClaim(string name, string type) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { [WellKnownLabels.NodePool] = "default", ["team"] = "ml", [WellKnownLabels.InstanceType] = type },
        },
        Spec = new NodeClaimSpec
        {
            Taints = [new Taint { Key = WellKnownTaints.NvidiaGpu, Effect = TaintEffects.NoSchedule }],
            StartupTaints = [AgentNotReady],
            NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "default" },
        },
        Status = NodeClaimConditions.With(new NodeClaimStatus { ProviderID = "aws:///us-east-1a/i-0abc" }, NodeClaimConditions.Launched, "Launched", "", LifecycleWorld.Start),
    };
}
