using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// Work that depends only on a pool's requirements and instance types, kept across solves: the compatible types in
/// price order and which of them each constraint set matches. Disruption simulates dozens of solves over the same
/// pools; each would otherwise redo this for every one of ~1,200 types. Hand one instance to related solves; it is
/// not thread-safe and holds no clock or randomness, so plans stay a function of their inputs.
/// </summary>
public sealed class SchedulerCache
{
    private readonly Dictionary<(string Name, Requirements Requirements, IReadOnlyList<InstanceType> Types), PoolTypes> pools = [];
    private readonly Dictionary<IReadOnlyDictionary<string, string>, Requirements> nodeLabels = new(ReferenceEqualityComparer.Instance);

    /// <summary>A node's labels as requirements, computed once per labels instance (nodes keep theirs across passes).</summary>
    internal Requirements NodeRequirements(IReadOnlyDictionary<string, string> labels)
    {
        if (!nodeLabels.TryGetValue(labels, out var requirements))
        {
            requirements = Requirements.FromLabels(labels);
            nodeLabels[labels] = requirements;
        }

        return requirements;
    }

    internal PoolTypes For(NodePoolTemplate template)
    {
        var key = (template.Name, template.Requirements, template.InstanceTypes);
        if (!pools.TryGetValue(key, out var types))
        {
            types = PoolTypes.Build(template);
            pools[key] = types;
        }

        return types;
    }
}

/// <summary>A pool's usable types, cheapest first, with what each offers pods, and cached compatibility per constraint set.</summary>
internal sealed class PoolTypes
{
    private PoolTypes(IReadOnlyList<InstanceType> types, IReadOnlyList<Requirements> offered)
    {
        Types = types;
        Offered = offered;
    }

    public IReadOnlyList<InstanceType> Types { get; }

    public IReadOnlyList<Requirements> Offered { get; }

    private (string Layout, long[][] Allocatable, long[][] Capacity)? vectors;

    /// <summary>Allocatable and capacity vectors of the types, rebuilt only when the solve's resource layout differs.</summary>
    public (long[][] Allocatable, long[][] Capacity) Vectors(ResourceIndex resources)
    {
        var layout = resources.Layout;
        if (vectors is not { } cached || cached.Layout != layout)
        {
            cached = (layout, [.. Types.Select(t => resources.Vector(t.Allocatable))], [.. Types.Select(t => resources.Vector(t.Capacity))]);
            vectors = cached;
        }

        return (cached.Allocatable, cached.Capacity);
    }

    /// <summary>Zones and capacity types the pool's types are offered in (topology domains).</summary>
    public IReadOnlyList<(string Zone, string CapacityType)> Domains => field ??= [.. Types.SelectMany((t, i) => t.Offerings
        .Where(o => o.Available && (Offered[i].Get(WellKnownLabels.Zone)?.Allows(o.Zone) ?? true) && (Offered[i].Get(WellKnownLabels.CapacityType)?.Allows(o.CapacityType) ?? true))
        .Select(o => (o.Zone, o.CapacityType))).Distinct()];

    /// <summary>Requirement and taint compatibility per constraint set (see Scheduler.Compatible).</summary>
    public Dictionary<string, Compatibility> Compatibility { get; } = new(StringComparer.Ordinal);

    public static PoolTypes Build(NodePoolTemplate template)
    {
        var candidates = new List<(InstanceType Type, Requirements Offered, double Price)>();
        foreach (var type in template.InstanceTypes)
        {
            if (template.Offered(type) is { } offered && PoolState.MinPrice(type, offered) is { } price)
            {
                candidates.Add((type, offered, price));
            }
        }

        // Cheapest first, so the first type a claim can use is its price; names break ties for stable plans.
        candidates.Sort((a, b) => a.Price != b.Price ? a.Price.CompareTo(b.Price) : string.CompareOrdinal(a.Type.Name, b.Type.Name));
        return new PoolTypes([.. candidates.Select(c => c.Type)], [.. candidates.Select(c => c.Offered)]);
    }
}
