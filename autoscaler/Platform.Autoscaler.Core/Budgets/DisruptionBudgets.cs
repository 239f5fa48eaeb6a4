using System.Globalization;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Core.Budgets;

/// <summary>
/// How many of a pool's nodes may be disrupted now for a reason: the most restrictive active budget that applies
/// to the reason, less the nodes already being disrupted. A budget with a schedule is active from each cron
/// occurrence (UTC) for its duration; one without is always active. Percentages round up, as in Karpenter v1 and
/// a PDB's maxUnavailable: 5% of 10 nodes allows 1 rather than blocking the pool.
/// </summary>
public static class DisruptionBudgets
{
    /// <summary>Disruptions still allowed; never negative.</summary>
    public static int Allowed(IReadOnlyList<Budget> budgets, string reason, int poolNodes, int disrupting, DateTimeOffset now)
    {
        var allowed = int.MaxValue;
        foreach (var budget in budgets)
        {
            if (budget.Reasons is { Count: > 0 } reasons && !reasons.Contains(reason))
            {
                continue;
            }

            if (!IsActive(budget, now))
            {
                continue;
            }

            allowed = Math.Min(allowed, Nodes(budget.Nodes ?? "10%", poolNodes));
        }

        return allowed == int.MaxValue ? int.MaxValue : Math.Max(0, allowed - disrupting);
    }

    /// <summary>Whether the budget's window is open at <paramref name="now"/>.</summary>
    public static bool IsActive(Budget budget, DateTimeOffset now)
    {
        if (budget.Schedule is not { } schedule || budget.Duration is not { } durationText)
        {
            return true;
        }

        var duration = KarpenterDuration.Parse(durationText) ?? TimeSpan.Zero;
        var cron = BudgetRules.Parse(schedule);
        // The window is open if an occurrence fell within the last `duration` (inclusive start, exclusive end).
        var from = now - duration;
        return cron.GetOccurrences(from.UtcDateTime, now.UtcDateTime, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true).Any();
    }

    private static int Nodes(string nodes, int poolNodes) => nodes.EndsWith('%')
        ? (int)Math.Ceiling(poolNodes * int.Parse(nodes[..^1], CultureInfo.InvariantCulture) / 100.0)
        : int.Parse(nodes, CultureInfo.InvariantCulture);
}
