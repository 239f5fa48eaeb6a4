using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>A NodePool's disruption settings, parsed: consolidation policy and delay, expiry, budgets.</summary>
/// <param name="NodePool">The pool.</param>
/// <param name="ConsolidationPolicy">WhenEmpty or WhenEmptyOrUnderutilized.</param>
/// <param name="ConsolidateAfter">How long a node must be idle or underused first; null for Never.</param>
/// <param name="ExpireAfter">Node lifetime; null for Never.</param>
/// <param name="Budgets">The pool's budgets; Karpenter's default (10% of nodes) when the pool sets none.</param>
public sealed record DisruptionPolicy(string NodePool, string ConsolidationPolicy, TimeSpan? ConsolidateAfter, TimeSpan? ExpireAfter, IReadOnlyList<Budget> Budgets)
{
    /// <summary>No consolidation, no expiry and a budget of zero: for a pool whose own rules cannot be read.</summary>
    public static DisruptionPolicy Frozen(string nodePool) =>
        new(nodePool, ConsolidationPolicies.WhenEmpty, null, null, [new Budget { Nodes = "0" }]);

    /// <summary>Reads a NodePool's spec, applying Karpenter's defaults.</summary>
    public static DisruptionPolicy From(NodePool pool)
    {
        var disruption = pool.Spec?.Disruption;
        return new DisruptionPolicy(
            pool.Metadata.Name,
            disruption?.ConsolidationPolicy ?? ConsolidationPolicies.WhenEmptyOrUnderutilized,
            KarpenterDuration.Parse(disruption?.ConsolidateAfter ?? "0s"),
            KarpenterDuration.Parse(pool.Spec?.Template?.Spec?.ExpireAfter ?? "720h"),
            disruption?.Budgets is { Count: > 0 } budgets ? [.. budgets] : [new Budget { Nodes = "10%" }]);
    }
}
