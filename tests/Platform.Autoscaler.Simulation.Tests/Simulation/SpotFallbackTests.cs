using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>
/// The seeds' tiers, g5 spot (weight 100), g4dn spot (50), g5 on-demand (10), driven through the real controllers:
/// capacity errors mark offerings, the claim is given up, and the next plan falls to the next tier; no pod is left.
/// </summary>
public sealed class SpotFallbackTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    [Fact]
    public async Task Without_faults_the_heaviest_tier_g5_spot_is_bought()
    {
        var result = await Simulator.RunAsync(ScenarioKit.Inference(4, HalfHour), ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        Assert.Equal(0, result.PodsUnplaced);
        Assert.Equal(["g5.xlarge spot"], result.Launches.Keys);
        Assert.Equal(0, result.Fallbacks);
    }

    [Fact]
    public async Task No_g5_spot_capacity_in_any_zone_lands_the_pods_on_g4dn_spot()
    {
        var scenario = ScenarioKit.Inference(4, HalfHour, ScenarioKit.NoCapacity("g5", "spot", HalfHour));

        var result = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        Assert.Equal(0, result.PodsUnplaced);
        Assert.All(result.Launches.Keys, k => Assert.StartsWith("g4dn.", k, StringComparison.Ordinal));
        Assert.All(result.Launches.Keys, k => Assert.EndsWith(" spot", k, StringComparison.Ordinal));
        Assert.True(result.Fallbacks >= 1);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task With_g4dn_spot_exhausted_too_the_pods_land_on_g5_on_demand()
    {
        var scenario = ScenarioKit.Inference(4, HalfHour, ScenarioKit.NoCapacity("g5", "spot", HalfHour), ScenarioKit.NoCapacity("g4dn", "spot", HalfHour));

        var result = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        Assert.Equal(0, result.PodsUnplaced);
        Assert.All(result.Launches.Keys, k => Assert.Matches(@"^g5\.\S+ on-demand$", k));
        Assert.True(result.Fallbacks >= 2);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task Every_launch_is_one_instance_per_nodeclaim()
    {
        var scenario = ScenarioKit.Inference(6, HalfHour, ScenarioKit.NoCapacity("g5", "spot", HalfHour));

        var result = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        var launched = result.Decisions.Where(d => d.Contains(" lifecycle launch ", StringComparison.Ordinal)).ToList();
        var claims = launched.Select(d => d.Split(' ')[3]).ToList();
        Assert.Equal(claims.Count, claims.Distinct().Count());
        Assert.Equal(launched.Count, result.Launches.Values.Sum());
    }
}
