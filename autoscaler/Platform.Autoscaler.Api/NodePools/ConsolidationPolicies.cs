namespace Platform.Autoscaler.Api;

/// <summary>Values of spec.disruption.consolidationPolicy.</summary>
public static class ConsolidationPolicies
{
    /// <summary>Only nodes without workload pods are consolidated.</summary>
    public const string WhenEmpty = "WhenEmpty";
    /// <summary>Empty nodes and nodes whose pods fit elsewhere (or on a cheaper node) are consolidated.</summary>
    public const string WhenEmptyOrUnderutilized = "WhenEmptyOrUnderutilized";
}
