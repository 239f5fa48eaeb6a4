using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>The solver's answer: nodes to buy, where every pod goes, and why some pods cannot go anywhere.</summary>
public sealed record Plan(
    IReadOnlyList<PlannedNodeClaim> NodeClaims,
    IReadOnlyList<PodPlacement> Placements,
    IReadOnlyList<UnplacedPod> Unplaced)
{
    /// <summary>Hourly cost of the new NodeClaims at their cheapest options.</summary>
    public double HourlyCost => NodeClaims.Sum(c => c.Price);
}

/// <summary>A node to buy: the pool, what it must satisfy, its pods, and every launch option cheapest first.</summary>
/// <param name="Name">A name unique within the plan.</param>
/// <param name="NodePool">The pool it belongs to.</param>
/// <param name="Requirements">What the node must satisfy (pool and pods together).</param>
/// <param name="Options">Every compatible (instance type, zone, capacity type), cheapest first.</param>
/// <param name="Requests">Pods' requests plus daemonset overhead.</param>
/// <param name="Pods">The pods nominated for it.</param>
public sealed record PlannedNodeClaim(
    string Name,
    string NodePool,
    Requirements Requirements,
    IReadOnlyList<LaunchOption> Options,
    ResourceList Requests,
    IReadOnlyList<Pod> Pods)
{
    /// <summary>Price of the cheapest option.</summary>
    public double Price => Options.Count > 0 ? Options[0].Price : 0;

    /// <summary>Distinct instance types among the options, in price order.</summary>
    public IEnumerable<string> InstanceTypes => Options.Select(o => o.InstanceType).Distinct();
}

/// <summary>One way to launch a NodeClaim.</summary>
public sealed record LaunchOption(string InstanceType, string Zone, string CapacityType, double Price);

/// <summary>Where a pod goes: an existing node (or in-flight claim) or a new NodeClaim of the plan.</summary>
public sealed record PodPlacement(Pod Pod, string Target, bool NewNodeClaim);

/// <summary>A pod no node can take, with the reason each pool (and the existing nodes) gave.</summary>
public sealed record UnplacedPod(Pod Pod, IReadOnlyList<string> Reasons);
