using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// What kubectl users see and do: a registered node carries the termination finalizer and its NodeClaim as owner, so
/// <c>kubectl delete node</c> drains it and ends its instance instead of leaking it; a NodeClaim's Ready condition; the
/// price a launch is logged with.
/// </summary>
public sealed class NodeOwnershipTests
{
    private static void Pools(InMemoryCluster cluster)
    {
        cluster.Apply(NodeClass("default"));
        cluster.Apply(Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] }));
    }

    /// <summary>A pod bound to an initialized node of a NodeClaim; returns the claim's and the node's names.</summary>
    private static async Task<(string Claim, string Node)> RunningPodAsync(LifecycleWorld world)
    {
        Pools(world.Cluster);
        var claim = await world.LaunchForAsync(Pod("web"));
        var node = await world.BringUpAsync(claim, TimeSpan.FromSeconds(20));
        world.Cluster.Bind("default/web", node);
        return (claim, node);
    }

    [Fact]
    public async Task Register_NodeGetsTheTerminationFinalizerAndItsNodeClaimAsOwner()
    {
        var world = new LifecycleWorld();
        var (claim, node) = await RunningPodAsync(world);

        var stored = world.Nodes.Single(n => n.Metadata.Name == node);
        var owner = Assert.Single(stored.Metadata.OwnerReferences);
        var nodeClaim = world.Claims.Single();
        Assert.Equal(("karpenter.sh/v1", "NodeClaim", claim, nodeClaim.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.BlockOwnerDeletion));
        Assert.Equal([WellKnownAnnotations.TerminationFinalizer], stored.Metadata.Finalizers);
    }

    [Fact]
    public async Task DeleteNode_RegisteredNodeWithAPod_ClaimDeletedPodEvictedInstanceTerminatedNodeGone()
    {
        var world = new LifecycleWorld();
        var (claim, node) = await RunningPodAsync(world);
        var instance = world.InstanceOf(claim);
        var removed = new List<string>();
        world.Cluster.PodRemoved += (pod, how) => removed.Add($"{pod.Metadata.Name} {how}");

        // kubectl delete node: the finalizer holds it while the autoscaler drains it and ends its instance.
        world.Cluster.DeleteNode(node);
        Assert.Contains(world.Nodes, n => n.Metadata.Name == node);
        await world.RunUntilAsync(() => world.Nodes.All(n => n.Metadata.Name != node) && world.Claims.All(c => c.Metadata.Name != claim), TimeSpan.FromSeconds(30), "the node's termination");

        Assert.False(world.Cloud.All.Single(i => i.ProviderId == instance.ProviderId).Running, "the deleted node's instance was left running");
        Assert.Contains(world.Decisions, d => d.Action == "delete" && d.Subject == $"NodeClaim/{claim}" && d.Message.StartsWith("NodeDeleted:", StringComparison.Ordinal));
        Assert.Contains(world.Decisions, d => d.Action == "terminate" && d.Subject == $"NodeClaim/{claim}");
        // The pod was evicted through the Eviction API, not lost with the node.
        Assert.Equal(["web evict"], removed);
    }

    [Fact]
    public async Task DeleteNode_NotReadyAndItsInstanceGone_IsLetGoWithoutADrain()
    {
        var world = new LifecycleWorld();
        var (claim, node) = await RunningPodAsync(world);
        var pdb = new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec { Selector = new V1LabelSelector(), MinAvailable = (IntOrString)1 },
        };
        world.Cluster.Apply(pdb);

        // The instance died: its kubelet stopped, the cloud node lifecycle controller deletes the node. Its pod cannot
        // be evicted (the PDB refuses), nor does it need to be: nothing runs there any more.
        world.Cloud.Reclaim(world.InstanceOf(claim).ProviderId);
        world.Cluster.UpdateNode(node, n => KubeletNode.SetReady(n, KubeletNode.Unknown()));
        world.Cluster.DeleteNode(node);
        await world.RunUntilAsync(() => world.Nodes.All(n => n.Metadata.Name != node) && world.Claims.All(c => c.Metadata.Name != claim), TimeSpan.FromSeconds(30), "the dead node's release");

        Assert.DoesNotContain(world.Cluster.Events, e => e.Reason == "EvictionBlocked");
    }

    [Fact]
    public async Task DeleteNode_WithoutANodeClaim_IsDrainedAndLetGo()
    {
        var world = new LifecycleWorld();
        var (claim, node) = await RunningPodAsync(world);
        // Its claim is gone (removed by hand with its finalizer): the node keeps the finalizer registration gave it.
        await world.Cluster.UpdateNodeClaimMetadataAsync(claim, null, null, [], CancellationToken.None);
        await world.Cluster.DeleteNodeClaimAsync(claim, CancellationToken.None);

        world.Cluster.DeleteNode(node);
        await world.RunUntilAsync(() => world.Nodes.All(n => n.Metadata.Name != node), TimeSpan.FromSeconds(30), "the orphan node's release");

        Assert.Contains(world.Decisions, d => d.Action == "release" && d.Subject == $"Node/{node}");
        Assert.DoesNotContain(world.Cluster.Snapshot().Pods, p => p.Spec.NodeName == node);
    }

    [Fact]
    public async Task DeleteNode_PodStuckTerminating_DrainWaitsOnlyAMinutePastItsGracePeriod()
    {
        var world = new LifecycleWorld();
        var (claim, node) = await RunningPodAsync(world);
        // An evicted pod whose kubelet never ends it: its deletionTimestamp (deletion plus 30 s of grace) stays.
        world.Cluster.Apply(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "stuck", NamespaceProperty = "default", DeletionTimestamp = (world.Clock.GetUtcNow() + TimeSpan.FromSeconds(30)).UtcDateTime },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app" }] },
            Status = new V1PodStatus { Phase = "Running" },
        });

        world.Cluster.DeleteNode(node);
        await world.RunAsync(TimeSpan.FromSeconds(80));
        Assert.Contains(world.Claims, c => c.Metadata.Name == claim);
        await world.RunUntilAsync(() => world.Claims.All(c => c.Metadata.Name != claim), TimeSpan.FromSeconds(20), "the drain to stop waiting for the stuck pod");
    }

    [Fact]
    public async Task NodeClaim_Ready_UnknownUntilItsNodeInitializes_ThenTrue()
    {
        var world = new LifecycleWorld();
        Pools(world.Cluster);
        var claim = await world.LaunchForAsync(Pod("web"));

        Assert.Equal(("Unknown", "NodeNotFound"), Ready(world));
        Assert.Equal(["Initialized", "Launched", "Ready", "Registered"], world.Claims.Single().Status!.Conditions!.Select(c => c.Type));

        var node = world.Register(world.InstanceOf(claim)).Metadata.Name;
        await world.RunAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(("Unknown", "AwaitingReconciliation"), Ready(world));

        world.MarkReady(node);
        await world.RunUntilAsync(() => NodeClaimConditions.IsTrue(world.Claims.Single(), NodeClaimConditions.Initialized), TimeSpan.FromSeconds(10), "initialization");
        Assert.Equal(("True", "Ready"), Ready(world));
        Assert.Equal(world.Clock.GetUtcNow().UtcDateTime, world.Claims.Single().Status!.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Launch_RecordsThePriceThePlanChose_NotTheCloudsZero()
    {
        // EC2 does not say what an instance costs (Ec2CloudProvider reports 0).
        var world = new LifecycleWorld(wrapCloud: cloud => new PricelessCloud(cloud));
        Pools(world.Cluster);
        await world.LaunchForAsync(Pod("web"));

        var launch = Assert.Single(world.Decisions, d => d.Action == "launch");
        var instance = world.Cloud.All.Single();
        var price = BundledCatalog.Load().InstanceTypes.Single(t => t.Name == "m5.large").Offerings
            .Single(o => o.Zone == instance.Zone && o.CapacityType == instance.CapacityType).Price;
        Assert.Contains($"${price:F4}/h", launch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("$0.0000/h", launch.Message, StringComparison.Ordinal);
    }

    private static (string? Status, string? Reason) Ready(LifecycleWorld world) =>
        world.Claims.Single().Status!.Conditions!.Single(c => c.Type == "Ready") is var ready ? (ready.Status, ready.Reason) : default;

    /// <summary>The cloud as EC2 reports it: no price on the instance.</summary>
    private sealed class PricelessCloud(ICloudProvider inner) : ICloudProvider
    {
        public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => inner.GetCatalogAsync(cancellationToken);

        public async Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken) =>
            (await inner.CreateAsync(attempt, cancellationToken)) with { Price = 0 };

        public Task DeleteAsync(string providerId, CancellationToken cancellationToken) => inner.DeleteAsync(providerId, cancellationToken);

        public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) => inner.GetAsync(providerId, cancellationToken);

        public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
    }
}
