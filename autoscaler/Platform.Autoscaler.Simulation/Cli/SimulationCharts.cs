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

    /// <summary>The cost chart is taller: two panels.</summary>
    public const int CostHeight = 900;

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

    /// <summary>
    /// Two panels over the same hours: hourly cost, and dollars spent so far. A short expensive stretch (a training
    /// job on p4d) sets the top panel's scale; the bottom one shows where the runs' totals part, the daytime gap
    /// included, and ends at each total. The static baseline's lines are drawn when it ran; legends carry the totals.
    /// </summary>
    public static byte[] Cost(SimulationResult result, SimulationResult? baseline)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var hourly = multiplot.GetPlot(0);
        var spent = multiplot.GetPlot(1);
        Style(hourly, $"{result.Scenario}: hourly cost", "USD per hour");
        Style(spent, "spent so far", "USD");
        if (baseline is not null)
        {
            Line(hourly, Column(baseline, p => p.Hour), Column(baseline, p => p.HourlyCost), Baseline, $"static baseline (${Total(baseline)})", LinePattern.Dashed);
            var (hours, dollars) = Spending(baseline);
            Line(spent, hours, dollars, Baseline, "static baseline", LinePattern.Dashed);
        }

        Line(hourly, Column(result, p => p.Hour), Column(result, p => p.HourlyCost), Autoscaler, $"autoscaler (${Total(result)})", LinePattern.Solid);
        var (ourHours, ourDollars) = Spending(result);
        Line(spent, ourHours, ourDollars, Autoscaler, "autoscaler", LinePattern.Solid);
        Limits(hourly, result.Hours);
        Limits(spent, result.Hours);
        hourly.XLabel("");
        using var image = multiplot.Render(Width, CostHeight);
        var png = image.GetImageBytes(ImageFormat.Png);
        hourly.Dispose();
        spent.Dispose();
        return png;
    }

    /// <summary>Hours and dollars spent at each sample, then at the run's end, where it reaches the run's total.</summary>
    public static (double[] Hours, double[] Spent) Spending(SimulationResult result) =>
        ([.. result.Timeline.Select(p => p.Hour), result.Hours], [.. result.Timeline.Select(p => p.Spent), result.Cost]);

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        Style(plot, title, yLabel);
        return plot;
    }

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("simulated hour");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
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
        Limits(plot, hours);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static void Limits(Plot plot, double hours)
    {
        // Counts and dollars start at zero; time spans the whole run, with room above the data for the legend.
        plot.Axes.SetLimitsX(0, Math.Max(hours, 1.0 / 12));
        plot.Axes.AutoScaleY();
        var top = plot.Axes.GetLimits().Top;
        plot.Axes.SetLimitsY(0, Math.Max(top * 1.25, 1));
    }

    private static double[] Column(SimulationResult result, Func<TimelinePoint, double> value) => [.. result.Timeline.Select(value)];

    private static string Total(SimulationResult result) => result.Cost.ToString("N2", CultureInfo.InvariantCulture) + " in all";
}
