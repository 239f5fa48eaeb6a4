using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>A run that ends before its pods could be bound says what each one was waiting for.</summary>
public sealed class PendingPodsTests
{
    [Fact]
    public async Task RunEndsWhileNodesBoot_EachPendingPodWaitsForItsNodeClaim_InResultAndDecisions()
    {
        // Nodes register 60 s after launch, so one minute is too short for any pod to be bound.
        var scenario = ScenarioKit.Inference(3, TimeSpan.FromMinutes(1));

        var result = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        Assert.Equal(3, result.PodsUnplaced);
        Assert.Equal(3, result.Pending.Count);
        Assert.All(result.Pending, p => Assert.Matches(@"^waiting for gpu-inference-spot-\w+ to register and become ready$", p.Reason));
        Assert.Equal(result.Pending.Select(p => $"simulate pending Pod/{p.Pod}: {p.Reason}"),
            result.Decisions.Where(d => d.Contains(" simulate pending ", StringComparison.Ordinal)).Select(d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
    }

    [Fact]
    public async Task BaselineRunEndsWhileNodesBoot_ItsPendingPodsWaitForTheBootingNodes()
    {
        var scenario = ScenarioKit.Inference(2, TimeSpan.FromMinutes(1));

        var baseline = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, true, null, null, CancellationToken.None);

        Assert.Equal(2, baseline.Pending.Count);
        Assert.All(baseline.Pending, p => Assert.Matches(@"^waiting for ip-\S+ to register and become ready$", p.Reason));
        Assert.Equal(2, baseline.Decisions.Count(d => d.Contains(" static scale-up group/gpu-inference-spot: ", StringComparison.Ordinal)));
    }
}
