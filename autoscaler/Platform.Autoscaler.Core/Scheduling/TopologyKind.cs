namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>What a topology group constrains.</summary>
internal enum TopologyKind
{
    /// <summary>Topology spread: keep matching pods within maxSkew across domains.</summary>
    Spread,
    /// <summary>Required pod affinity: go where matching pods are.</summary>
    Affinity,
    /// <summary>Required pod anti-affinity: stay away from matching pods.</summary>
    AntiAffinity,
}
