using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>
/// The report folder: summary.json, timeline.csv (nodes, GPU nodes, pods and hourly cost every 5 minutes),
/// decisions.log, and the charts nodes.png and cost.png.
/// </summary>
internal static class SimulationReport
{
    public const string SummaryFile = "summary.json";
    public const string TimelineFile = "timeline.csv";
    public const string DecisionsFile = "decisions.log";

    /// <summary>Every file the report holds, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Files = [SummaryFile, TimelineFile, DecisionsFile, SimulationCharts.NodesFile, SimulationCharts.CostFile];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the report and returns the names of the files written (<see cref="Files"/>).</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(DirectoryInfo folder, SimulationResult result, SimulationResult? baseline, CancellationToken cancellationToken)
    {
        folder.Create();
        string PathOf(string file) => Path.Combine(folder.FullName, file);
        var summary = SimulationSummary.Figures(result, baseline);
        summary["launches"] = result.Launches;
        summary["violations"] = result.Violations;
        summary["files"] = Files;
        await File.WriteAllTextAsync(PathOf(SummaryFile), JsonSerializer.Serialize(summary, Indented), cancellationToken).ConfigureAwait(false);
        var csv = new StringBuilder("hour,nodes,spot_nodes,gpu_nodes,pods_bound,pods_pending,hourly_cost_usd\n");
        foreach (var p in result.Timeline)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Hour:F3},{p.Nodes},{p.SpotNodes},{p.GpuNodes},{p.PodsBound},{p.PodsPending},{p.HourlyCost:F4}\n");
        }

        await File.WriteAllTextAsync(PathOf(TimelineFile), csv.ToString(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllLinesAsync(PathOf(DecisionsFile), result.Decisions, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(PathOf(SimulationCharts.NodesFile), SimulationCharts.Nodes(result), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(PathOf(SimulationCharts.CostFile), SimulationCharts.Cost(result, baseline), cancellationToken).ConfigureAwait(false);
        return Files;
    }
}
