using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>A NodePool during one solve: its candidate types (cheapest first), remaining limits and reservations.</summary>
internal sealed class PoolState
{
    private readonly bool hasMinValues;

    public PoolState(NodePoolTemplate template, int index, ResourceIndex resources, SchedulerCache cache)
    {
        Template = template;
        Index = index;
        Cached = cache.For(template);
        Types = Cached.Types;
        Offered = Cached.Offered;
        hasMinValues = template.Requirements.All.Any(r => r.MinValues is not null);
        foreach (var type in Types)
        {
            resources.Register(type.Allocatable);
            resources.Register(type.Capacity);
        }

        resources.Register(template.DaemonOverhead);
        if (template.Limits is { } limits)
        {
            resources.Register(limits);
        }
    }

    public NodePoolTemplate Template { get; }

    /// <summary>The template-dependent work shared with other solves.</summary>
    public PoolTypes Cached { get; }

    public int Index { get; }

    public string Name => Template.Name;

    /// <summary>Types compatible with the pool and offered somewhere it allows, cheapest first.</summary>
    public IReadOnlyList<InstanceType> Types { get; }

    /// <summary>Per type: the pool's requirements intersected with the type's (what a node of it offers pods).</summary>
    public IReadOnlyList<Requirements> Offered { get; }

    public long[][] Allocatable { get; private set; } = [];

    public long[][] Capacity { get; private set; } = [];

    public long[] Overhead { get; private set; } = [];

    /// <summary>Limit less usage per resource; long.MaxValue where unlimited.</summary>
    public long[] Remaining { get; private set; } = [];

    /// <summary>Sum of the reservations of this solve's open claims.</summary>
    public long[] Reserved { get; private set; } = [];

    public int NodeLimit { get; private set; } = int.MaxValue;

    /// <summary>Whether any resource limit applies (the node-count limit is checked on its own).</summary>
    public bool HasResourceLimits { get; private set; }

    /// <summary>Whether limits can cut a claim's options below its minValues: resource limits and a minValues requirement.</summary>
    public bool LimitsMeetMinValues => HasResourceLimits && hasMinValues;

    public int Claims { get; set; }

    /// <summary>Call once every resource name is registered.</summary>
    public void Compile(ResourceIndex resources)
    {
        (Allocatable, Capacity) = Cached.Vectors(resources);
        Overhead = resources.Vector(Template.DaemonOverhead);
        Reserved = new long[resources.Count];
        Remaining = new long[resources.Count];
        Array.Fill(Remaining, long.MaxValue);
        if (Template.Limits is { } limits)
        {
            foreach (var (name, amount) in limits.Entries)
            {
                if (name == WellKnownResources.Nodes)
                {
                    NodeLimit = (int)Math.Max(0, amount - Template.NodeCount);
                }
                else
                {
                    Remaining[resources.Slot(name)] = amount - Template.Usage[name];
                    HasResourceLimits = true;
                }
            }
        }
    }

    /// <summary>
    /// Whether a type's capacity fits what the limits leave, given the other claims' reservations: <paramref name="total"/>
    /// (by default <see cref="Reserved"/>) less the claim's own.
    /// </summary>
    public bool WithinLimits(int type, long[] ownReservation, long[]? total = null)
    {
        var capacity = Capacity[type];
        total ??= Reserved;
        for (var r = 0; r < capacity.Length; r++)
        {
            if (Remaining[r] != long.MaxValue && capacity[r] > Remaining[r] - (total[r] - ownReservation[r]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="amount"/> is at most <paramref name="bound"/> in every resource a limit counts.</summary>
    public bool AtMostOnLimited(long[] amount, long[] bound)
    {
        for (var r = 0; r < Remaining.Length; r++)
        {
            if (Remaining[r] != long.MaxValue && amount[r] > bound[r])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The cheapest available offering of a type that the requirements allow, or null.</summary>
    public static double? MinPrice(InstanceType type, Requirements requirements)
    {
        var zone = requirements.Get(WellKnownLabels.Zone);
        var capacity = requirements.Get(WellKnownLabels.CapacityType);
        double? best = null;
        foreach (var offering in type.Offerings)
        {
            if (offering.Available && (zone?.Allows(offering.Zone) ?? true) && (capacity?.Allows(offering.CapacityType) ?? true)
                && (best is null || offering.Price < best))
            {
                best = offering.Price;
            }
        }

        return best;
    }

}
