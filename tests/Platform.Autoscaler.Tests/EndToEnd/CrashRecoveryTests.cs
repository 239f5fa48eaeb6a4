using Platform.Autoscaler.Api;
using Xunit.Abstractions;

namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>
/// The whole loop through the Kubernetes adapter against the fake API server: pending pods become NodeClaims,
/// instances and registered nodes; pods bind; the deployment scales down; consolidation replaces the nodes with one
/// cheaper node; the old ones are drained (a PodDisruptionBudget refusing every second eviction) and terminated. Then the same run again with the process killed at each
/// step, and a fresh process started: the end state must be the same, with no instance launched twice for a
/// NodeClaim, no instance left running without one, and every pod of the deployment running.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task WholeLoop_WithoutCrash_ScalesUpThenConsolidatesOntoOneCheapNode()
    {
        var run = await RunAsync(null);
        output.WriteLine(string.Join(" ", run.Calls));
        output.WriteLine(run.Final);
        Assert.Equal(0, run.Restarts);
        Assert.Contains("CreateNodeClaim", run.Calls);
        Assert.Contains("Evict", run.Calls);
        Assert.Contains("Cloud.Delete", run.Calls);
    }

    // The steps of the crash-free run, in its order: provisioning (three claims), launch, registration (which gives
    // each node the termination finalizer and its claim as owner) and initialization, then two consolidations, each a
    // delete, cordon and taint, an eviction, the instance's end, the node's deletion and the release of its finalizer
    // (PatchNode 8), and the claim's finalizer. Numbers count one operation's calls in the first process.
    public static TheoryData<string, int, bool> Steps() => new()
    {
        { "CreateNodeClaim", 1, false },
        { "CreateNodeClaim", 1, true },
        { "CreateNodeClaim", 3, true },
        { "Cloud.Create", 1, false },
        { "Cloud.Create", 1, true },
        { "Cloud.Create", 3, true },
        { "UpdateNodeClaimMetadata", 1, true },
        { "UpdateNodeClaimStatus", 1, true },
        { "PatchNode", 1, true },
        { "UpdateNodeClaimStatus", 4, true },
        { "UpdateNodeClaimMetadata", 4, true },
        { "DeleteNodeClaim", 1, false },
        { "DeleteNodeClaim", 1, true },
        { "PatchNode", 7, true },
        { "Evict", 1, false },
        { "Evict", 1, true },
        { "UpdateNodeClaimStatus", 10, true },
        { "Cloud.Delete", 1, false },
        { "Cloud.Delete", 1, true },
        { "DeleteNode", 1, false },
        { "DeleteNode", 1, true },
        { "PatchNode", 8, false },
        { "PatchNode", 8, true },
        { "UpdateNodeClaimMetadata", 5, true },
        { "Evict", 2, true },
        { "Cloud.Delete", 2, true },
        { "UpdateNodeClaimMetadata", 7, true },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task WholeLoop_CrashAtAStep_RestartedServiceRepairsIt(string operation, int occurrence, bool afterCall)
    {
        var point = new CrashPoint(operation, occurrence, afterCall);
        var run = await RunAsync(point);
        output.WriteLine(string.Join(" ", run.Calls));
        Assert.True(run.Restarts == 1, $"the crash point {point} was never reached: {string.Join(" ", run.Calls)}");
    }

    private sealed record Run(int Restarts, IReadOnlyList<string> Calls, string Final);

    /// <summary>Runs the scenario, killing the process at <paramref name="crash"/>; asserts the end state.</summary>
    private static async Task<Run> RunAsync(CrashPoint? crash)
    {
        using var world = new EndToEndWorld { Replicas = 7 };
        var generation = 1;
        var process = await AutoscalerProcess.StartAsync(world, crash, generation);
        var calls = new List<string>();
        var restarts = 0;
        try
        {
            async Task RoundsUntil(Func<bool> done, int limit, string what)
            {
                for (var round = 0; !done(); round++)
                {
                    Assert.True(round < limit, $"{what} not reached after {limit} rounds ({crash?.ToString() ?? "no crash"}): {Describe(world)}");
                    world.Step();
                    await process.SettleAsync();
                    await process.RunOnceAsync();
                    if (process.Switch.Crashed)
                    {
                        calls.AddRange(process.Switch.Calls);
                        await process.DisposeAsync();
                        restarts++;
                        process = await AutoscalerProcess.StartAsync(world, null, ++generation);
                    }

                    world.Clock.Advance(Tick);
                }
            }

            await RoundsUntil(() => AllRunning(world, 7), 120, "seven pods running");
            world.Replicas = 3;
            await RoundsUntil(() => AllRunning(world, 3) && Steady(world), 400, "three pods on one cheap node");
            // Long enough for the garbage collector's interval and grace to pass, so a leak would be repaired or seen.
            var until = world.Clock.GetUtcNow() + TimeSpan.FromMinutes(5);
            await RoundsUntil(() => world.Clock.GetUtcNow() >= until, 200, "the quiet period");

            calls.AddRange(process.Switch.Calls);
            AssertRepaired(world);
            return new Run(restarts, calls, Describe(world));
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    private static bool AllRunning(EndToEndWorld world, int replicas)
    {
        var nodes = world.Nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var pods = world.LivePods();
        return pods.Count == replicas && pods.All(p => p.Spec?.NodeName is { } node && nodes.Contains(node) && p.Status?.Phase == "Running");
    }

    private static bool Steady(EndToEndWorld world) =>
        world.NodeClaims is [{ Metadata.DeletionTimestamp: null } claim] && TypeOf(claim) == "m5.xlarge"
        && world.Cloud.All.Count(i => i.Running) == 1 && world.Nodes.Count == 1;

    private static void AssertRepaired(EndToEndWorld world)
    {
        var claims = world.NodeClaims;
        var running = world.Cloud.All.Where(i => i.Running).ToList();
        // No NodeClaim ever had two instances.
        var launchesPerClaim = world.Cloud.All.GroupBy(i => i.NodeClaim ?? "").Where(g => g.Count() > 1).Select(g => $"{g.Key}: {g.Count()}").ToList();
        Assert.True(launchesPerClaim.Count == 0, $"instances launched twice for one NodeClaim: {string.Join(", ", launchesPerClaim)}");
        // No instance runs without a NodeClaim, and every NodeClaim's instance runs.
        Assert.Equal(claims.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal), running.Select(i => i.NodeClaim!).Order(StringComparer.Ordinal));
        Assert.Equal(claims.Select(c => c.Status?.ProviderID).Order(StringComparer.Ordinal), running.Select(i => i.ProviderId).Order(StringComparer.Ordinal));
        // No pod lost: the deployment's three pods run on the one node.
        Assert.True(AllRunning(world, 3), Describe(world));
        Assert.Equal(running.Select(i => i.ProviderId), world.Nodes.Select(n => n.Spec.ProviderID));
    }

    private static string Describe(EndToEndWorld world) =>
        $"claims [{string.Join(", ", world.NodeClaims.Select(c => $"{c.Metadata.Name} {TypeOf(c)} {c.Status?.ProviderID}{(c.Metadata.DeletionTimestamp is null ? "" : " deleting")}"))}]; "
        + $"instances [{string.Join(", ", world.Cloud.All.Select(i => $"{i.ProviderId} {i.InstanceType} {i.NodeClaim}{(i.Running ? "" : " terminated")}"))}]; "
        + $"nodes [{string.Join(", ", world.Nodes.Select(n => $"{n.Metadata.Name}{(n.Spec?.Unschedulable == true ? " cordoned" : "")} taints {string.Join("/", (n.Spec?.Taints ?? []).Select(t => t.Key))}"))}]; "
        + $"pods [{string.Join(", ", world.Pods.Select(p => $"{p.Metadata.Name}@{p.Spec?.NodeName} {p.Status?.Phase}"))}]";

    private static string? TypeOf(NodeClaim claim) =>
        claim.Metadata.Labels is { } labels && labels.TryGetValue(WellKnownLabels.InstanceType, out var type) ? type : null;
}
