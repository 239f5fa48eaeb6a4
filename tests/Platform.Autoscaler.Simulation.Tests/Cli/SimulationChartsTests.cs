using Platform.Autoscaler.Simulation.Cli;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Cli;

/// <summary>The charts drawn from a hand-made timeline: each series the data has is on the image, and nothing else.</summary>
public sealed class SimulationChartsTests
{
    [Fact]
    public void Nodes_SpotOnDemandAndGpuNodes_DrawsABandForEachCapacityTypeAndTheGpuLine()
    {
        using var image = PngImage.Decode(SimulationCharts.Nodes(Result(spot: 6, onDemand: 4, gpu: 5, cost: 10)));

        Assert.Equal((SimulationCharts.Width, SimulationCharts.Height), (image.Width, image.Height));
        // A band covering a good share of the plot, not just a legend swatch.
        Assert.True(image.Count(SimulationCharts.Spot, SimulationCharts.BandAlpha) > 20_000, "spot band");
        Assert.True(image.Count(SimulationCharts.OnDemand, SimulationCharts.BandAlpha) > 20_000, "on-demand band");
        Assert.True(image.Count(SimulationCharts.Gpu) > 250, "GPU line, more than its legend swatch");
    }

    [Fact]
    public void Nodes_NoSpotNodes_DrawsNoSpotBand()
    {
        using var image = PngImage.Decode(SimulationCharts.Nodes(Result(spot: 0, onDemand: 4, gpu: 0, cost: 10)));

        Assert.True(image.Count(SimulationCharts.Spot, SimulationCharts.BandAlpha) < 1_000, "at most the legend swatch");
        Assert.True(image.Count(SimulationCharts.OnDemand, SimulationCharts.BandAlpha) > 20_000);
    }

    [Fact]
    public void Cost_WithBaseline_DrawsBothLines_WithoutBaseline_OnlyTheAutoscalers()
    {
        var result = Result(spot: 2, onDemand: 1, gpu: 1, cost: 10);
        var baseline = Result(spot: 0, onDemand: 5, gpu: 1, cost: 30);

        using var both = PngImage.Decode(SimulationCharts.Cost(result, baseline));
        using var alone = PngImage.Decode(SimulationCharts.Cost(result, null));

        Assert.True(both.Count(SimulationCharts.Baseline) > 500, "baseline line");
        Assert.Equal(0, alone.Count(SimulationCharts.Baseline));
        Assert.True(alone.Count(SimulationCharts.Autoscaler) > 500, "autoscaler line");
    }

    /// <summary>Six hours sampled every 5 minutes, flat at the given counts and hourly cost.</summary>
    private static SimulationResult Result(int spot, int onDemand, int gpu, double cost) => new()
    {
        Scenario = "charts",
        Hours = 6,
        Seconds = 1,
        PodsPlaced = 1,
        PodsUnplaced = 0,
        Violations = [],
        Cost = cost * 6,
        SpotShare = 0,
        Fallbacks = 0,
        InterruptionsHandled = 0,
        Consolidations = 0,
        PendingSeconds = (0, 0),
        Launches = new Dictionary<string, int>(),
        Timeline = [.. Enumerable.Range(0, 73).Select(i => new TimelinePoint(i / 12.0, spot + onDemand, spot, gpu, 1, 0, cost))],
        Decisions = [],
    };
}
