namespace Platform.Autoscaler.Api;

/// <summary>Disruption reasons a budget can name.</summary>
public static class DisruptionReasons
{
    /// <summary>Nodes without workload pods.</summary>
    public const string Empty = "Empty";
    /// <summary>Nodes whose pods fit elsewhere or on a cheaper node.</summary>
    public const string Underutilized = "Underutilized";
    /// <summary>Nodes whose NodePool or node class changed.</summary>
    public const string Drifted = "Drifted";

    /// <summary>All reasons, in the order Karpenter lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Underutilized, Empty, Drifted];
}
