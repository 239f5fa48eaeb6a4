using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>Proves a set of nodes can go: every displaced pod lands on a remaining node or on new claims.</summary>
internal static class Replacement
{
    /// <summary>
    /// The spot-to-spot rule (Karpenter's MinInstanceTypesForSpotToSpotConsolidation). A spot node replaced by a
    /// cheaper spot node needs at least this many instance types cheaper than what goes, and the replacement launches
    /// only among that many cheapest. With fewer, every pass would swap the node for the next lower spot price, walking
    /// down the price-capacity-optimized ladder onto the pools interrupted most. Several spot nodes merged onto one
    /// bigger node are exempt, as in Karpenter: that saving comes from packing, not from a lower spot price. A merge
    /// in which one node alone costs as much as the replacement is that node's swap in disguise, and is not exempt.
    /// </summary>
    public const int MinSpotToSpotTypes = 15;

    /// <summary>The plan for the nodes' pods, or why they cannot all be placed with at most <paramref name="maxNew"/> new claims.</summary>
    public static (Plan? Plan, string? Why) Find(DisruptionContext context, IReadOnlyCollection<NodeState> nodes, int maxNew)
    {
        // One replacement allowed: the simulation packs the new claim, or the solver's price rule splits it and the answer is no.
        var plan = context.Simulate(nodes, maxNew);
        if (plan.Unplaced.Count > 0)
        {
            var pod = plan.Unplaced[0];
            return (null, $"pod {pod.Pod.Id} would have nowhere to go ({string.Join("; ", pod.Reasons.Take(2))})");
        }

        return plan.NodeClaims.Count > maxNew
            ? (null, $"its pods need {plan.NodeClaims.Count} new nodes, at most {maxNew} allowed")
            : (plan, null);
    }

    /// <summary>
    /// Consolidating the nodes: their pods on the remaining nodes and at most <paramref name="maxNew"/> (one or none)
    /// new node, which may launch only as an option cheaper than all the nodes together (so a launch that falls back
    /// to another option still saves) and obeys the spot-to-spot rule; or why the nodes stay.
    /// </summary>
    public static (Plan? Plan, IReadOnlyList<PlannedNodeClaim> Replacements, string? Why) Consolidate(DisruptionContext context, IReadOnlyCollection<NodeState> nodes, int maxNew = 1)
    {
        var (plan, why) = Find(context, nodes, Math.Min(maxNew, 1));
        if (plan is null)
        {
            return (null, [], why);
        }

        if (plan.NodeClaims.Count == 0)
        {
            return (plan, [], null);
        }

        var claim = plan.NodeClaims[0];
        var removed = nodes.Sum(n => n.Price);
        if (claim.Price >= removed)
        {
            return (null, [], $"replacement ${claim.Price:F4}/h is not cheaper than ${removed:F4}/h");
        }

        IEnumerable<LaunchOption> Cheaper() => claim.Options.Where(o => o.Price < removed);
        var swap = nodes.All(n => n.CapacityType == WellKnownLabels.CapacityTypes.Spot)
            && claim.Cheapest.CapacityType == WellKnownLabels.CapacityTypes.Spot
            && (nodes.Count == 1 || nodes.Any(n => n.Price >= claim.Price));
        if (!swap)
        {
            return (plan, [Narrowed(claim, () => [.. Cheaper()])], null);
        }

        var types = Cheaper().Select(o => o.InstanceType).Distinct(StringComparer.Ordinal).Take(MinSpotToSpotTypes).ToHashSet(StringComparer.Ordinal);
        return types.Count < MinSpotToSpotTypes
            ? (null, [], $"spot-to-spot replacement has {types.Count} cheaper instance types, needs {MinSpotToSpotTypes} not to chase one spot price")
            : (plan, [Narrowed(claim, () => [.. Cheaper().Where(o => types.Contains(o.InstanceType))])], null);
    }

    private static PlannedNodeClaim Narrowed(PlannedNodeClaim claim, Func<IReadOnlyList<LaunchOption>> options) =>
        new(claim.Name, claim.NodePool, claim.Requirements, options, claim.Cheapest, claim.Requests, claim.Pods);
}
