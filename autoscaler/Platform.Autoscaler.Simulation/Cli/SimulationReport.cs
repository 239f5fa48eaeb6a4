using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>
/// The report folder: summary.json, timeline.csv (nodes, GPU nodes, pods and hourly cost every 5 minutes),
/// decisions.log, and the charts nodes.png and cost.png; when the static baseline ran, its own timeline and
/// decisions beside them (baseline-timeline.csv, baseline-decisions.log) and its figures, launches and pending pods
/// under "baseline" in summary.json, so the cost ratio can be checked line by line.
/// </summary>
internal static class SimulationReport
{
    public const string SummaryFile = "summary.json";
    public const string TimelineFile = "timeline.csv";
    public const string DecisionsFile = "decisions.log";
    public const string BaselinePrefix = "baseline-";

    /// <summary>Every file a report without a baseline holds, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Files = [SummaryFile, TimelineFile, DecisionsFile, SimulationCharts.NodesFile, SimulationCharts.CostFile];

    /// <summary>The files a report adds when the static baseline ran.</summary>
    public static readonly IReadOnlyList<string> BaselineFiles = [BaselinePrefix + TimelineFile, BaselinePrefix + DecisionsFile];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The files a report holds, with or without the baseline's.</summary>
    public static IReadOnlyList<string> FilesFor(bool baseline) => baseline ? [.. Files, .. BaselineFiles] : Files;

    /// <summary>Writes the report and returns the names of the files written (<see cref="FilesFor"/>).</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(DirectoryInfo folder, SimulationResult result, SimulationResult? baseline, CancellationToken cancellationToken)
    {
        folder.Create();
        string PathOf(string file) => Path.Combine(folder.FullName, file);
        var files = FilesFor(baseline is not null);
        var summary = SimulationSummary.Figures(result, baseline);
        summary["launches"] = result.Launches;
        summary["pending"] = result.Pending;
        summary["violations"] = result.Violations;
        if (baseline is not null)
        {
            summary["baseline"] = new Dictionary<string, object>
            {
                ["podsPlaced"] = baseline.PodsPlaced,
                ["podsUnplaced"] = baseline.PodsUnplaced,
                ["cost"] = Math.Round(baseline.Cost, 2),
                ["pendingP50Seconds"] = baseline.PendingSeconds.P50,
                ["pendingP99Seconds"] = baseline.PendingSeconds.P99,
                ["launches"] = baseline.Launches,
                ["pending"] = baseline.Pending,
            };
        }

        summary["files"] = files;
        await File.WriteAllTextAsync(PathOf(SummaryFile), JsonSerializer.Serialize(summary, Indented), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(PathOf(TimelineFile), Timeline(result), cancellationToken).ConfigureAwait(false);
        await File.WriteAllLinesAsync(PathOf(DecisionsFile), result.Decisions, cancellationToken).ConfigureAwait(false);
        if (baseline is not null)
        {
            await File.WriteAllTextAsync(PathOf(BaselinePrefix + TimelineFile), Timeline(baseline), cancellationToken).ConfigureAwait(false);
            await File.WriteAllLinesAsync(PathOf(BaselinePrefix + DecisionsFile), baseline.Decisions, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllBytesAsync(PathOf(SimulationCharts.NodesFile), SimulationCharts.Nodes(result), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(PathOf(SimulationCharts.CostFile), SimulationCharts.Cost(result, baseline), cancellationToken).ConfigureAwait(false);
        return files;
    }

    /// <summary>Writes a variants run's summary.json (its comparison figures) into the report folder above the variants' own.</summary>
    public static Task WriteComparisonAsync(DirectoryInfo folder, Dictionary<string, object> figures, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(folder.FullName, SummaryFile), JsonSerializer.Serialize(figures, Indented), cancellationToken);

    /// <summary>The timeline as CSV: one row per 5-minute sample, with the dollars spent by then.</summary>
    public static string Timeline(SimulationResult result)
    {
        var csv = new StringBuilder("hour,nodes,spot_nodes,gpu_nodes,pods_bound,pods_pending,hourly_cost_usd,spent_usd\n");
        foreach (var p in result.Timeline)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Hour:F3},{p.Nodes},{p.SpotNodes},{p.GpuNodes},{p.PodsBound},{p.PodsPending},{p.HourlyCost:F4},{p.Spent:F2}\n");
        }

        return csv.ToString();
    }
}
