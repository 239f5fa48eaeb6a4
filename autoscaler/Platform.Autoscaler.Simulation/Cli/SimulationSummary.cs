using System.Globalization;
using System.Text;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>The end-of-run table and the JSON figures of a simulation.</summary>
internal static class SimulationSummary
{
    public static string Table(SimulationResult r, SimulationResult? baseline)
    {
        var text = new StringBuilder();
        void Row(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"  {name,-26}{value}\n");
        text.Append(CultureInfo.InvariantCulture, $"simulation {r.Scenario}: {r.Hours:F0} simulated hours in {r.Seconds:F1} s\n");
        Row("pods placed", $"{r.PodsPlaced} ({r.PodsUnplaced} pending at the end)");
        Row("pending time p50 / p99", $"{r.PendingSeconds.P50:F0} s / {r.PendingSeconds.P99:F0} s");
        Row("spot share", $"{r.SpotShare:P0} of instance-hours");
        Row("fallbacks", r.Fallbacks.ToString(CultureInfo.InvariantCulture));
        Row("interruptions handled", r.InterruptionsHandled.ToString(CultureInfo.InvariantCulture));
        Row("consolidations", r.Consolidations.ToString(CultureInfo.InvariantCulture));
        Row("invariant violations", r.Violations.Count.ToString(CultureInfo.InvariantCulture));
        Row("total cost", $"${r.Cost:F2} (${r.Cost / r.Hours:F2}/h on average)");
        if (baseline is not null)
        {
            Row("static baseline cost", $"${baseline.Cost:F2}: autoscaler costs {r.Cost / baseline.Cost:P0} of it");
        }

        text.Append("  launches by type:\n");
        foreach (var (type, count) in r.Launches)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {type,-34}{count}\n");
        }

        return text.ToString();
    }

    public static Dictionary<string, object> Figures(SimulationResult r, SimulationResult? baseline) => new()
    {
        ["podsPlaced"] = r.PodsPlaced,
        ["podsUnplaced"] = r.PodsUnplaced,
        ["invariantViolations"] = r.Violations.Count,
        ["cost"] = Math.Round(r.Cost, 2),
        ["baselineCost"] = Math.Round(baseline?.Cost ?? 0, 2),
        ["spotShare"] = Math.Round(r.SpotShare, 3),
        ["fallbacks"] = r.Fallbacks,
        ["interruptionsHandled"] = r.InterruptionsHandled,
        ["consolidations"] = r.Consolidations,
        ["pendingP50Seconds"] = r.PendingSeconds.P50,
        ["pendingP99Seconds"] = r.PendingSeconds.P99,
        ["seconds"] = Math.Round(r.Seconds, 1),
    };
}
