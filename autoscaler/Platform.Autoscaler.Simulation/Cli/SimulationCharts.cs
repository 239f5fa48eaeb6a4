using System.Globalization;
using Platform.Autoscaler.Simulation;
using ScottPlot;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>
/// The report's PNG charts over simulated time: nodes stacked by capacity type with the GPU nodes among them, and
/// hourly cost with the static baseline's beside it when it ran. Drawn by ScottPlot on SkiaSharp, with no display.
/// </summary>
internal static class SimulationCharts
{
    public const string NodesFile = "nodes.png";
    public const string CostFile = "cost.png";
    public const int Width = 1200;
    public const int Height = 600;

    /// <summary>Opacity of the stacked node bands over the white background.</summary>
    public const double BandAlpha = 0.6;

    public static readonly Color OnDemand = Color.FromHex("#1f77b4");
    public static readonly Color Spot = Color.FromHex("#ff7f0e");
    public static readonly Color Gpu = Color.FromHex("#2ca02c");
    public static readonly Color Autoscaler = Color.FromHex("#1f77b4");
    public static readonly Color Baseline = Color.FromHex("#d62728");

    /// <summary>Nodes over time: on-demand and spot stacked to the total, GPU nodes as a line (the rest are CPU-only).</summary>
    public static byte[] Nodes(SimulationResult result)
    {
        using var plot = NewPlot($"{result.Scenario}: nodes", "running nodes");
        var hours = Column(result, p => p.Hour);
        var onDemand = Column(result, p => p.Nodes - p.SpotNodes);
        var all = Column(result, p => p.Nodes);
        Band(plot, hours, new double[hours.Length], onDemand, OnDemand, "on-demand");
        Band(plot, hours, onDemand, all, Spot, "spot");
        var gpu = plot.Add.ScatterLine(hours, Column(result, p => p.GpuNodes), Gpu);
        gpu.LineWidth = 2;
        gpu.LinePattern = LinePattern.Dashed;
        gpu.LegendText = "of which GPU (the rest CPU)";
        return Png(plot, result.Hours);
    }

    /// <summary>Hourly cost over time, the static baseline's too when given; each legend carries the run's total.</summary>
    public static byte[] Cost(SimulationResult result, SimulationResult? baseline)
    {
        using var plot = NewPlot($"{result.Scenario}: hourly cost", "USD per hour");
        var hours = Column(result, p => p.Hour);
        if (baseline is not null)
        {
            Line(plot, Column(baseline, p => p.Hour), Column(baseline, p => p.HourlyCost), Baseline, $"static baseline (${Total(baseline)})", LinePattern.Dashed);
        }

        Line(plot, hours, Column(result, p => p.HourlyCost), Autoscaler, $"autoscaler (${Total(result)})", LinePattern.Solid);
        return Png(plot, result.Hours);
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("simulated hour");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static void Band(Plot plot, double[] hours, double[] below, double[] above, Color color, string label)
    {
        var band = plot.Add.FillY(hours, below, above);
        band.FillStyle.Color = color.WithAlpha(BandAlpha);
        band.LineStyle.Color = color;
        band.LegendText = label;
    }

    private static void Line(Plot plot, double[] hours, double[] values, Color color, string label, LinePattern pattern)
    {
        var line = plot.Add.ScatterLine(hours, values, color);
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.LegendText = label;
    }

    private static byte[] Png(Plot plot, double hours)
    {
        // Counts and dollars start at zero; time spans the whole run, with room above the data for the legend.
        plot.Axes.SetLimitsX(0, Math.Max(hours, 1.0 / 12));
        plot.Axes.AutoScaleY();
        var top = plot.Axes.GetLimits().Top;
        plot.Axes.SetLimitsY(0, Math.Max(top * 1.25, 1));
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static double[] Column(SimulationResult result, Func<TimelinePoint, double> value) => [.. result.Timeline.Select(value)];

    private static string Total(SimulationResult result) => result.Cost.ToString("N2", CultureInfo.InvariantCulture) + " in all";
}
