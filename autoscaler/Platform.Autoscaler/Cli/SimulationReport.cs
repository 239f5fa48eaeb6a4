using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Cli;

/// <summary>The report folder: summary.json, timeline.csv (nodes, pods and hourly cost every 5 minutes) and decisions.log.</summary>
internal static class SimulationReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteAsync(DirectoryInfo folder, SimulationResult result, SimulationResult? baseline, CancellationToken cancellationToken)
    {
        folder.Create();
        var summary = SimulationSummary.Figures(result, baseline);
        summary["launches"] = result.Launches;
        summary["violations"] = result.Violations;
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "summary.json"), JsonSerializer.Serialize(summary, Indented), cancellationToken).ConfigureAwait(false);
        var csv = new StringBuilder("hour,nodes,spot_nodes,pods_bound,pods_pending,hourly_cost_usd\n");
        foreach (var p in result.Timeline)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Hour:F3},{p.Nodes},{p.SpotNodes},{p.PodsBound},{p.PodsPending},{p.HourlyCost:F4}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "timeline.csv"), csv.ToString(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllLinesAsync(Path.Combine(folder.FullName, "decisions.log"), result.Decisions, cancellationToken).ConfigureAwait(false);
    }
}
