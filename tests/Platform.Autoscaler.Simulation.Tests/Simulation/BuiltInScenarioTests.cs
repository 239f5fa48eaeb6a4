using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>Issue 8's bar: the built-in day places every pod, breaks no invariant, and costs less than static node groups.</summary>
public sealed class BuiltInScenarioTests
{
    [Fact]
    public async Task The_built_in_day_places_every_pod_safely_and_beats_the_static_baseline()
    {
        var scenario = ScenarioKit.BuiltIn();

        var result = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, false, null, null, CancellationToken.None);
        var baseline = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, true, null, null, CancellationToken.None);

        Assert.Equal(0, result.PodsUnplaced);
        Assert.Empty(result.Violations);
        Assert.True(result.Cost < baseline.Cost, $"autoscaler ${result.Cost:F2} vs static ${baseline.Cost:F2}");
        Assert.Equal(0, baseline.PodsUnplaced);
        Assert.Equal(3, result.InterruptionsHandled);
        Assert.True(result.Fallbacks >= 1, "the g5 spot outage at the morning burst falls back");
        Assert.True(result.Consolidations > 0, "the night's scale-down is consolidated");
        Assert.True(result.SpotShare > 0.5);
        Assert.Contains(result.Launches.Keys, k => k.StartsWith("g4dn.", StringComparison.Ordinal));
        Assert.Equal(4, result.Launches.Where(l => l.Key.StartsWith("p4d.", StringComparison.Ordinal)).Sum(l => l.Value));
    }
}
