using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Model;

/// <summary>A node that exists (or a NodeClaim in flight, whose node is coming) with the pods already on it.</summary>
public sealed record ClusterNode
{
    /// <summary>Node name, or the NodeClaim's name while in flight.</summary>
    public required string Name { get; init; }

    /// <summary>The NodePool that owns it, if any.</summary>
    public string? NodePool { get; init; }

    /// <summary>The node's labels (zone, instance type, capacity type ...).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Taints that block scheduling (startup taints excluded: they go away).</summary>
    public IReadOnlyList<Taint> Taints { get; init; } = [];

    /// <summary>What pods may use.</summary>
    public required ResourceList Allocatable { get; init; }

    /// <summary>What the node counts toward its NodePool's limits (Karpenter counts capacity); null: its allocatable.</summary>
    public ResourceList? Capacity { get; init; }

    /// <summary>Pods already bound or nominated here, daemonsets included.</summary>
    public IReadOnlyList<Pod> Pods { get; init; } = [];

    /// <summary>Cordoned or being disrupted: no new pods.</summary>
    public bool Unschedulable { get; init; }

    /// <summary>A NodeClaim not yet registered as a node.</summary>
    public bool InFlight { get; init; }

    /// <summary>Hourly price of the node, for cost reports.</summary>
    public double Price { get; init; }

    /// <summary>The sum of its pods' requests.</summary>
    public ResourceList Requested => Pods.Aggregate(ResourceList.Empty, (sum, p) => sum.Add(p.Requests));
}
