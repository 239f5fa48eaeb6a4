using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>Proves a set of nodes can go: every displaced pod lands on a remaining node or on new claims.</summary>
internal static class Replacement
{
    /// <summary>
    /// Spot-to-spot consolidation needs at least this many instance types cheaper than the node it replaces; with
    /// fewer, the replacement would chase one volatile spot price and be interrupted or replaced again soon
    /// (Karpenter's MinInstanceTypesForSpotToSpotConsolidation).
    /// </summary>
    public const int MinSpotToSpotTypes = 15;

    /// <summary>The plan for the nodes' pods, or why they cannot all be placed with at most <paramref name="maxNew"/> new claims.</summary>
    public static (Plan? Plan, string? Why) Find(DisruptionContext context, IReadOnlyCollection<NodeState> nodes, int maxNew)
    {
        // One replacement allowed: pack the new claim, or the solver's price rule splits it and the answer is no.
        var plan = context.Simulate(nodes, packClaims: maxNew == 1);
        if (plan.Unplaced.Count > 0)
        {
            var pod = plan.Unplaced[0];
            return (null, $"pod {pod.Pod.Id} would have nowhere to go ({string.Join("; ", pod.Reasons.Take(2))})");
        }

        return plan.NodeClaims.Count > maxNew
            ? (null, $"its pods need {plan.NodeClaims.Count} new nodes, at most {maxNew} allowed")
            : (plan, null);
    }

    /// <summary>Whether a consolidating replacement is cheaper, and for spot-to-spot, flexible enough; otherwise why not.</summary>
    public static string? CheaperProblem(IReadOnlyCollection<NodeState> nodes, PlannedNodeClaim replacement)
    {
        var removed = nodes.Sum(n => n.Price);
        if (replacement.Price >= removed)
        {
            return $"replacement ${replacement.Price:F4}/h is not cheaper than ${removed:F4}/h";
        }

        var allSpot = nodes.All(n => n.CapacityType == WellKnownLabels.CapacityTypes.Spot);
        if (allSpot && replacement.Cheapest.CapacityType == WellKnownLabels.CapacityTypes.Spot)
        {
            var cheaperTypes = replacement.Options.Where(o => o.Price < removed).Select(o => o.InstanceType).Distinct().Count();
            if (cheaperTypes < MinSpotToSpotTypes)
            {
                return $"spot-to-spot replacement has {cheaperTypes} cheaper instance types, needs {MinSpotToSpotTypes} not to chase one spot price";
            }
        }

        return null;
    }
}
