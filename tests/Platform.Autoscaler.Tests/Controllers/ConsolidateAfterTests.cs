using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// consolidateAfter counts from when a node can hold pods: a node that never held one is idle from its NodeClaim's
/// initialization, as in Karpenter, not from when it was asked for; and a node the provisioner placed pending pods on
/// is not disrupted while they wait to bind.
/// </summary>
public sealed class ConsolidateAfterTests
{
    private static void EmptyPool(InMemoryCluster cluster, string consolidateAfter)
    {
        cluster.Apply(NodeClass("default"));
        var pool = Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] });
        pool.Spec = pool.Spec! with
        {
            Disruption = new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmpty, ConsolidateAfter = consolidateAfter, Budgets = [new Budget { Nodes = "100%" }] },
        };
        cluster.Apply(pool);
    }

    /// <summary>Launches a claim for a pending pod and brings its node up: registered at once, Ready after a minute.</summary>
    private static async Task<string> InitializedNodeAsync(LifecycleWorld world)
    {
        var claim = await world.LaunchForAsync(Pod("web"));
        await world.BringUpAsync(claim, TimeSpan.FromSeconds(60));
        return claim;
    }

    private static bool Deleting(LifecycleWorld world, string claim) =>
        world.Claims.FirstOrDefault(c => c.Metadata.Name == claim) is not { Metadata.DeletionTimestamp: null };

    [Fact]
    public async Task Emptiness_NodeThatNeverHeldAPod_WaitsConsolidateAfterFromItsInitialization()
    {
        var world = new LifecycleWorld();
        EmptyPool(world.Cluster, "30s");
        var claim = await world.LaunchForAsync(Pod("web"));
        // The pod it was bought for goes before the node comes up; the node never holds a pod.
        world.Cluster.RemovePod("default", "web");
        await world.BringUpAsync(claim, TimeSpan.FromSeconds(60));
        var initialized = world.Clock.GetUtcNow();

        await world.RunAsync(TimeSpan.FromSeconds(29), () =>
            Assert.False(Deleting(world, claim), $"the node was judged empty {(world.Clock.GetUtcNow() - initialized).TotalSeconds} s after it initialized, consolidateAfter 30s"));
        await world.RunUntilAsync(() => Deleting(world, claim), TimeSpan.FromMinutes(2), "the empty node's consolidation");

        Assert.Contains(world.Decisions, d => d.Action == "delete" && d.Subject == $"NodeClaim/{claim}" && d.Message.StartsWith("Empty:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Emptiness_LastPodLeaves_DisruptionSeesItBeforeTheStatusDoes_WaitsConsolidateAfterFromTheLeaving()
    {
        var world = new LifecycleWorld();
        EmptyPool(world.Cluster, "30s");
        var claim = await InitializedNodeAsync(world);
        world.Cluster.Bind("default/web", world.Nodes.Single().Metadata.Name);
        await world.RunAsync(TimeSpan.FromMinutes(2));

        // In the service each controller has its own loop: here the disruption pass sees the pod gone before the
        // lifecycle pass has written lastPodEventTime, which still says the pod came two minutes ago.
        world.Cluster.RemovePod("default", "web");
        var left = world.Clock.GetUtcNow();
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        await world.Controllers.Disruption.ReconcileAsync(CancellationToken.None);
        Assert.DoesNotContain(world.Decisions, d => d.Action == "decide");
        Assert.Contains(world.Controllers.Disruption.LastExplanation, l => l.EndsWith("empty, waiting for consolidateAfter of default", StringComparison.Ordinal));

        await world.RunUntilAsync(() => Deleting(world, claim), TimeSpan.FromMinutes(2), "the empty node's consolidation");
        Assert.True(world.Clock.GetUtcNow() - left >= TimeSpan.FromSeconds(30), $"consolidated {(world.Clock.GetUtcNow() - left).TotalSeconds} s after its last pod left, consolidateAfter 30s");
        Assert.Equal(left.AddSeconds(10).UtcDateTime, world.Claims.Single().Status!.LastPodEventTime);
    }

    [Fact]
    public async Task Disruption_NodeNominatedForAPendingPod_IsKept_UntilThePodIsGone()
    {
        var world = new LifecycleWorld();
        EmptyPool(world.Cluster, "0s");
        // Nobody binds the pod here: it stays pending, placed on the node, as when kube-scheduler is slow.
        var claim = await InitializedNodeAsync(world);

        await world.RunAsync(TimeSpan.FromMinutes(3), () => Assert.False(Deleting(world, claim), "a node a pending pod was placed on was disrupted"));
        Assert.Single(world.Claims);
        Assert.Contains(world.Controllers.Disruption.LastExplanation, l => l.EndsWith("not a candidate: nominated for a pending pod", StringComparison.Ordinal));

        world.Cluster.RemovePod("default", "web");
        await world.RunUntilAsync(() => Deleting(world, claim), TimeSpan.FromMinutes(2), "the node's consolidation once nothing waits for it");
    }
}
