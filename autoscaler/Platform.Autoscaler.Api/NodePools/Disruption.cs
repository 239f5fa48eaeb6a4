using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Api;

/// <summary>How a NodePool's nodes may be disrupted.</summary>
public sealed record Disruption
{
    /// <summary>How long a node must be consolidatable before it is consolidated, or Never.</summary>
    [Required, RegularExpression(Patterns.NillableDuration)]
    [CelRule(KarpenterDuration.CelNillableInRange, KarpenterDuration.CelRangeMessage)]
    [Description("ConsolidateAfter is the duration the controller will wait before attempting to terminate nodes that are underutilized.")]
    public string? ConsolidateAfter { get; init; }

    /// <summary>WhenEmpty or WhenEmptyOrUnderutilized.</summary>
    [AllowedValues(ConsolidationPolicies.WhenEmpty, ConsolidationPolicies.WhenEmptyOrUnderutilized), DefaultValue(ConsolidationPolicies.WhenEmptyOrUnderutilized)]
    [Description("ConsolidationPolicy describes which nodes Karpenter can disrupt through its consolidation algorithm.")]
    public string? ConsolidationPolicy { get; init; }

    /// <summary>Limits on how many nodes may be disrupted at once; the most restrictive active one wins.</summary>
    [MaxLength(50), ListType("atomic"), DefaultJson("""[{"nodes":"10%"}]""")]
    [CelRule("self.all(x, has(x.schedule) == has(x.duration))", "'schedule' must be set with 'duration'")]
    [Description("Budgets is a list of Budgets. If there are multiple active budgets, Karpenter uses the most restrictive value.")]
    public IList<Budget>? Budgets { get; init; }
}
