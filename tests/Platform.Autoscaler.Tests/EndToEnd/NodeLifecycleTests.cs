using Platform.Autoscaler.Api;
using Platform.Autoscaler.Tests.Kubernetes;
using Xunit.Abstractions;

namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>
/// A node's life through the Kubernetes adapter against the fake API server, which taints every new node not-ready
/// as the real one does: no second instance while a node is NotReady, no initialization while the not-ready taint is
/// still on a Ready node, and <c>kubectl delete node</c> ends the node's instance.
/// </summary>
public sealed class NodeLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>World steps and controller passes, <see cref="Tick"/> apart, until <paramref name="done"/>; <paramref name="check"/> after each.</summary>
    private static async Task RoundsUntilAsync(EndToEndWorld world, AutoscalerProcess process, Func<bool> done, int limit, string what, Action? check = null)
    {
        for (var round = 0; !done(); round++)
        {
            Assert.True(round < limit, $"{what} not reached after {limit} rounds");
            world.Step();
            await process.SettleAsync();
            await process.RunOnceAsync();
            check?.Invoke();
            world.Clock.Advance(Tick);
        }
    }

    private static bool PodRunning(EndToEndWorld world) => PodsRunning(world, 1);

    private static bool PodsRunning(EndToEndWorld world, int replicas) =>
        world.LivePods() is { } pods && pods.Count == replicas
        && pods.All(p => p.Status?.Phase == "Running" && world.Nodes.Any(n => n.Metadata.Name == p.Spec.NodeName && n.Metadata.DeletionTimestamp is null));

    [Fact]
    public async Task PendingPod_NodeNotReadyForLongerThanTheBatchIsSolvedAgain_NoSecondNodeClaimOrInstance()
    {
        using var world = new EndToEndWorld { Replicas = 1, NetworkReadyDelay = TimeSpan.FromSeconds(90) };
        await using var process = await AutoscalerProcess.StartAsync(world, null, 1);

        await RoundsUntilAsync(world, process, () => PodRunning(world), 60, "the pod running", () =>
        {
            Assert.True(world.NodeClaims.Count <= 1, $"a second NodeClaim while the first node was NotReady: {string.Join(", ", world.NodeClaims.Select(c => c.Metadata.Name))}");
            Assert.True(world.Cloud.All.Count <= 1, "a second instance while the first node was NotReady");
        });

        output.WriteLine(string.Join(" ", process.Switch.Calls));
        Assert.Single(world.Cloud.All);
    }

    [Fact]
    public async Task ReadyNode_StillCarryingTheNotReadyTaint_IsNotInitializedUntilItGoes()
    {
        using var world = new EndToEndWorld { Replicas = 1, TaintRemovalLag = TimeSpan.FromSeconds(30) };
        await using var process = await AutoscalerProcess.StartAsync(world, null, 1);
        bool Ready() => world.Nodes is [{ } node] && node.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True");
        bool Tainted() => world.Nodes is [{ } node] && node.Spec.Taints?.Any(t => t.Key == WellKnownTaints.NotReady) == true;
        bool Initialized() => world.NodeClaims is [{ } claim] && claim.Status?.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true;

        await RoundsUntilAsync(world, process, Ready, 40, "the node Ready");
        Assert.True(Tainted());
        await RoundsUntilAsync(world, process, () => !Tainted(), 10, "the not-ready taint's removal",
            () => Assert.False(Initialized() && Tainted(), "the NodeClaim initialized while its node still had the not-ready taint"));
        await RoundsUntilAsync(world, process, Initialized, 3, "initialization");
        Assert.Single(world.Cloud.All);
    }

    [Fact]
    public async Task KubectlDeleteNode_DrainsTheNodeAndTerminatesItsInstance()
    {
        // Three replicas under a PodDisruptionBudget of two: the drain evicts one pod at a time.
        using var world = new EndToEndWorld { Replicas = 3 };
        await using var process = await AutoscalerProcess.StartAsync(world, null, 1);
        await RoundsUntilAsync(world, process, () => PodsRunning(world, 3), 40, "the pods running");
        var node = world.Nodes.First(n => world.LivePods().Any(p => p.Spec.NodeName == n.Metadata.Name));
        Assert.All(world.Nodes, n => Assert.Equal([WellKnownAnnotations.TerminationFinalizer], n.Metadata.Finalizers));
        Assert.Equal(world.NodeClaims.Single(c => c.Status?.ProviderID == node.Spec.ProviderID).Metadata.Uid, node.Metadata.OwnerReferences.Single().Uid);

        // What kubectl delete node sends.
        world.Server.Store.Delete(FakeResource.Nodes, null, node.Metadata.Name);
        await RoundsUntilAsync(world, process, () => world.Nodes.All(n => n.Metadata.Name != node.Metadata.Name) && PodsRunning(world, 3), 60, "the node's replacement");

        Assert.False(world.Cloud.All.Single(i => i.ProviderId == node.Spec.ProviderID).Running, "the deleted node's instance was left running");
        Assert.Equal(world.NodeClaims.Select(c => c.Status!.ProviderID), world.Cloud.All.Where(i => i.Running).Select(i => i.ProviderId));
        Assert.Contains(world.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/eviction", StringComparison.Ordinal));
    }
}
