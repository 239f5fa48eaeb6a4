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
    public void Cost_WithBaseline_DrawsBothLinesInBothPanels_WithoutBaseline_OnlyTheAutoscalers()
    {
        var result = Result(spot: 2, onDemand: 1, gpu: 1, cost: 10);
        var baseline = Result(spot: 0, onDemand: 5, gpu: 1, cost: 30);

        using var both = PngImage.Decode(SimulationCharts.Cost(result, baseline));
        using var alone = PngImage.Decode(SimulationCharts.Cost(result, null));

        Assert.Equal((SimulationCharts.Width, SimulationCharts.CostHeight), (both.Width, both.Height));
        var middle = both.Height / 2;
        Assert.True(both.Count(SimulationCharts.Baseline, 0, middle) > 500, "baseline line, hourly panel");
        Assert.True(both.Count(SimulationCharts.Baseline, middle, both.Height) > 500, "baseline line, spent panel");
        Assert.True(both.Count(SimulationCharts.Autoscaler, middle, both.Height) > 500, "autoscaler line, spent panel");
        Assert.Equal(0, alone.Count(SimulationCharts.Baseline));
        Assert.True(alone.Count(SimulationCharts.Autoscaler, 0, middle) > 500, "autoscaler line, hourly panel");
        Assert.True(alone.Count(SimulationCharts.Autoscaler, middle, alone.Height) > 500, "autoscaler line, spent panel");
    }

    [Fact]
    public void Spending_EndsAtTheRunsEndAndTotal_AfterEverySample()
    {
        var result = Result(spot: 1, onDemand: 1, gpu: 0, cost: 10);

        var (hours, spent) = SimulationCharts.Spending(result);

        Assert.Equal(result.Timeline.Count + 1, hours.Length);
        Assert.Equal((result.Hours, result.Cost), (hours[^1], spent[^1]));
        Assert.Equal(result.Timeline.Select(p => p.Spent), spent[..^1]);
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
        Timeline = [.. Enumerable.Range(0, 73).Select(i => new TimelinePoint(i / 12.0, spot + onDemand, spot, gpu, 1, 0, cost, cost * i / 12.0))],
        Decisions = [],
    };
}
