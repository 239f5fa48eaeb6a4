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

/// <summary>
/// A node to buy: the pool, what it must satisfy, its pods, and every launch option cheapest first. The options
/// list is built when first read: a plan of thousands of claims over hundreds of types would otherwise hold
/// millions of options nobody looks at.
/// </summary>
public sealed class PlannedNodeClaim
{
    private readonly Lazy<IReadOnlyList<LaunchOption>> options;

    /// <summary>Creates a claim whose options are produced on first use.</summary>
    public PlannedNodeClaim(string name, string nodePool, Requirements requirements, Func<IReadOnlyList<LaunchOption>> options,
        LaunchOption cheapest, ResourceList requests, IReadOnlyList<Pod> pods)
    {
        Name = name;
        NodePool = nodePool;
        Requirements = requirements;
        this.options = new Lazy<IReadOnlyList<LaunchOption>>(options);
        Cheapest = cheapest;
        Requests = requests;
        Pods = pods;
    }

    /// <summary>A name unique within the plan.</summary>
    public string Name { get; }

    /// <summary>The pool it belongs to.</summary>
    public string NodePool { get; }

    /// <summary>What the node must satisfy (pool and pods together).</summary>
    public Requirements Requirements { get; }

    /// <summary>Every compatible (instance type, zone, capacity type), cheapest first.</summary>
    public IReadOnlyList<LaunchOption> Options => options.Value;

    /// <summary>The first option: what the launch tries first.</summary>
    public LaunchOption Cheapest { get; }

    /// <summary>Pods' requests plus daemonset overhead.</summary>
    public ResourceList Requests { get; }

    /// <summary>The pods nominated for it.</summary>
    public IReadOnlyList<Pod> Pods { get; }

    /// <summary>Price of the cheapest option.</summary>
    public double Price => Cheapest.Price;

    /// <summary>Distinct instance types among the options, in price order.</summary>
    public IEnumerable<string> InstanceTypes => Options.Select(o => o.InstanceType).Distinct();
}

/// <summary>One way to launch a NodeClaim.</summary>
public sealed record LaunchOption(string InstanceType, string Zone, string CapacityType, double Price);

/// <summary>Where a pod goes: an existing node (or in-flight claim) or a new NodeClaim of the plan.</summary>
public sealed record PodPlacement(Pod Pod, string Target, bool NewNodeClaim);

/// <summary>A pod no node can take, with the reason each pool (and the existing nodes) gave.</summary>
public sealed record UnplacedPod(Pod Pod, IReadOnlyList<string> Reasons);
