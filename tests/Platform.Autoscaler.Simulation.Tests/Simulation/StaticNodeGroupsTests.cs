using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>
/// The static baseline (Cluster Autoscaler over fixed node groups) must buy what its pending pods need and no more,
/// or the cost ratio simulate prints is measured against a straw man.
/// </summary>
public sealed class StaticNodeGroupsTests
{
    [Fact]
    public async Task Baseline_PodsSelectingTheirPoolsLabel_CountsNodesStillBootingAndBuysOneNodePerPod()
    {
        // Four 8-GPU pods with nodeSelector workload=training; each p4d boots for 60 s + 30 s (GPUs) before they bind.
        var scenario = ScenarioKit.Training(TimeSpan.FromMinutes(20));

        var baseline = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, true, null, null, CancellationToken.None);

        Assert.Equal(0, baseline.PodsUnplaced);
        Assert.Equal(new Dictionary<string, int> { ["p4d.24xlarge on-demand"] = 4 }, baseline.Launches);
        Assert.All(baseline.Timeline, p => Assert.True(p.Nodes <= 4, $"{p.Nodes} nodes at hour {p.Hour:F2}"));
    }

    [Fact]
    public async Task Baseline_OneGpuInferencePods_LaunchOneNodePerPodWhileTheyBoot()
    {
        var scenario = ScenarioKit.Inference(6, TimeSpan.FromMinutes(20));

        var baseline = await Simulator.RunAsync(scenario, ScenarioKit.Catalog, true, null, null, CancellationToken.None);

        Assert.Equal(0, baseline.PodsUnplaced);
        Assert.Equal(6, baseline.Launches.Values.Sum());
        Assert.All(baseline.Timeline, p => Assert.True(p.Nodes <= 6, $"{p.Nodes} nodes at hour {p.Hour:F2}"));
    }
}
