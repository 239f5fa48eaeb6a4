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
            Row("static baseline pods", $"{baseline.PodsPlaced} placed ({baseline.PodsUnplaced} pending at the end)");
        }

        Launches(text, r, baseline);
        Pending(text, "pending at the end", r.Pending);
        if (baseline is not null)
        {
            Pending(text, "static baseline: pending at the end", baseline.Pending);
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

    /// <summary>Launches by type, with the static baseline's beside them when it ran, so the cost ratio can be traced.</summary>
    private static void Launches(StringBuilder text, SimulationResult r, SimulationResult? baseline)
    {
        if (baseline is null)
        {
            text.Append("  launches by type:\n");
            foreach (var (type, count) in r.Launches)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {type,-34}{count}\n");
            }

            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"  {"launches by type:",-36}{"autoscaler",10}{"static",8}\n");
        foreach (var type in r.Launches.Keys.Union(baseline.Launches.Keys).Order(StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"    {type,-34}{r.Launches.GetValueOrDefault(type),10}{baseline.Launches.GetValueOrDefault(type),8}\n");
        }
    }

    private static void Pending(StringBuilder text, string title, IReadOnlyList<PendingPod> pending)
    {
        if (pending.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"  {title}:\n");
        foreach (var pod in pending)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {pod.Pod}: {pod.Reason}\n");
        }
    }

    /// <summary>
    /// The variants side by side: cost, average hourly cost, pods, what each launched, and each one's saving against the
    /// first (the reference), then the pods each left pending with why.
    /// </summary>
    public static string Comparison(string scenario, IReadOnlyList<(string Name, SimulationResult Result)> runs)
    {
        var text = new StringBuilder();
        var (reference, first) = runs[0];
        text.Append(CultureInfo.InvariantCulture, $"simulation {scenario}: {runs.Count} variants, {first.Hours:F0} simulated hours each, in {runs.Sum(r => r.Result.Seconds):F1} s\n");
        text.Append(CultureInfo.InvariantCulture, $"  {"variant",-24}{"cost",10}{"per hour",10}{"pods placed",13}{"pending",9}{"violations",12}  launches\n");
        foreach (var (name, r) in runs)
        {
            var launches = string.Join(", ", r.Launches.Select(l => $"{l.Value}x {l.Key}"));
            text.Append(CultureInfo.InvariantCulture, $"  {name,-24}{"$" + r.Cost.ToString("F2", CultureInfo.InvariantCulture),10}{"$" + (r.Cost / r.Hours).ToString("F2", CultureInfo.InvariantCulture),10}{r.PodsPlaced,13}{r.PodsUnplaced,9}{r.Violations.Count,12}  {launches}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  against {reference} (${first.Cost:F2}):\n");
        foreach (var (name, r) in runs.Skip(1))
        {
            var saving = first.Cost - r.Cost;
            var line = saving >= 0
                ? string.Create(CultureInfo.InvariantCulture, $"    {name,-22}saves ${saving:F2} ({100 * saving / first.Cost:F1}%)\n")
                : string.Create(CultureInfo.InvariantCulture, $"    {name,-22}costs ${-saving:F2} more ({-100 * saving / first.Cost:F1}%)\n");
            text.Append(line);
        }

        foreach (var (name, r) in runs)
        {
            Pending(text, $"{name}: pending at the end", r.Pending);
        }

        return text.ToString();
    }

    /// <summary>The variants' figures, and each one's saving against the first, for summary.json and --json.</summary>
    public static Dictionary<string, object> ComparisonFigures(IReadOnlyList<(string Name, SimulationResult Result)> runs) => new()
    {
        ["reference"] = runs[0].Name,
        ["variants"] = runs.Select(run => new Dictionary<string, object>
        {
            ["name"] = run.Name,
            ["cost"] = Math.Round(run.Result.Cost, 2),
            ["costPerHour"] = Math.Round(run.Result.Cost / run.Result.Hours, 2),
            ["podsPlaced"] = run.Result.PodsPlaced,
            ["podsUnplaced"] = run.Result.PodsUnplaced,
            ["invariantViolations"] = run.Result.Violations.Count,
            ["pendingP99Seconds"] = run.Result.PendingSeconds.P99,
            ["launches"] = run.Result.Launches,
            ["savingAgainstReference"] = Math.Round(runs[0].Result.Cost - run.Result.Cost, 2),
            ["savingPercent"] = runs[0].Result.Cost == 0 ? 0 : Math.Round(100 * (runs[0].Result.Cost - run.Result.Cost) / runs[0].Result.Cost, 1),
        }).ToList(),
    };
}
