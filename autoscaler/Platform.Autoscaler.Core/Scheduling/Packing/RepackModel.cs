using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Pools that share pods, re-packed together, as a <see cref="PackingProblem"/>: pods with the same request,
/// requirements, pools and standing (placed or not) become one item; each instance type of each pool within each set of
/// offerings the items allow (zones and capacity types, a bitmask over the pool's offerings) becomes a kind. Turns the
/// solver's nodes back into pods per node.
/// </summary>
internal sealed class RepackModel
{
    /// <summary>A pod one pool lower costs this many of the dearest node: more than a re-pack could save.</summary>
    private const double TierPenalty = 10;

    /// <summary>Placing a pod the greedy plan could not is worth more than all the tiers of a pod.</summary>
    private const double UnplacedReward = 10;

    private readonly List<List<RepackPod>> itemPods = [];

    /// <param name="pools">The pools, in weight order.</param>
    /// <param name="pods">Every pod of the re-pack.</param>
    /// <param name="start">The greedy plan's nodes: their pool, pods (from <paramref name="pods"/>) and instance type.</param>
    /// <param name="room">Per pool, what its limits leave for the re-pack.</param>
    public RepackModel(IReadOnlyList<PoolState> pools, IReadOnlyList<RepackPod> pods, IReadOnlyList<(PoolState Pool, IReadOnlyList<RepackPod> Pods, int Type)> start, IReadOnlyList<PackingPool> room)
    {
        Pools = pools;
        if (pools.Any(p => p.Cached.Domains.Count > 64))
        {
            return;
        }

        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemOf = new Dictionary<RepackPod, int>(ReferenceEqualityComparer.Instance);
        foreach (var pod in pods)
        {
            var key = $"{pod.Pool is null}|{string.Join(",", pod.Request)}|{pod.Requirements}|{string.Join(",", pod.Fits.Keys.Select(p => p.Index).Order())}";
            if (!items.TryGetValue(key, out var item))
            {
                item = itemPods.Count;
                items[key] = item;
                itemPods.Add([]);
            }

            itemPods[item].Add(pod);
            itemOf[pod] = item;
        }

        var kinds = new List<PackingKind>();
        var kindOf = new Dictionary<(int Pool, int Type, ulong Class), int>();
        var startMasks = new ulong[start.Count];
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            var domains = pool.Cached.Domains;
            var masks = itemPods.Select(group => group[0].Fits.ContainsKey(pool) ? Mask(domains, group[0].Requirements) : 0UL).ToList();
            // Each item's set of offerings is a class, and so is each start node's: what all its pods allow.
            var classes = masks.Where((_, i) => itemPods[i][0].Fits.ContainsKey(pool)).Distinct().ToList();
            for (var s = 0; s < start.Count; s++)
            {
                if (start[s].Pool == pool)
                {
                    startMasks[s] = start[s].Pods.Aggregate(ulong.MaxValue, (m, pod) => m & masks[itemOf[pod]]);
                    if (!classes.Contains(startMasks[s]))
                    {
                        classes.Add(startMasks[s]);
                    }
                }
            }

            var bits = domains.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
            foreach (var mask in classes)
            {
                for (var t = 0; t < pool.Types.Count; t++)
                {
                    if (Price(pool, t, mask, bits) is not { } price)
                    {
                        continue;
                    }

                    var allows = new ItemSet(itemPods.Count);
                    for (var i = 0; i < itemPods.Count; i++)
                    {
                        if ((masks[i] & mask) == mask && itemPods[i][0].Fits.TryGetValue(pool, out var fits) && fits[t])
                        {
                            allows.Add(i);
                        }
                    }

                    var free = (long[])pool.Allocatable[t].Clone();
                    ResourceIndex.AddTo(free, pool.Overhead, -1);
                    kindOf[(p, t, mask)] = kinds.Count;
                    kinds.Add(new PackingKind(p, t, free, pool.Capacity[t], price, allows));
                }
            }
        }

        var patterns = new List<PackingPattern>();
        for (var s = 0; s < start.Count; s++)
        {
            if (!kindOf.TryGetValue((IndexOf(start[s].Pool), start[s].Type, startMasks[s]), out var kind))
            {
                return; // the greedy node is not expressible here: leave the pools as the greedy solve left them
            }

            var counts = new int[itemPods.Count];
            foreach (var pod in start[s].Pods)
            {
                counts[itemOf[pod]]++;
            }

            patterns.Add(new PackingPattern(kind, counts));
        }

        var dearest = kinds.Where(k => !k.Allows.IsEmpty).Select(k => k.Price).DefaultIfEmpty(0).Max();
        var tierPenalty = TierPenalty * dearest;
        var reward = UnplacedReward * tierPenalty * pools.Count;
        var packingItems = itemPods.Select(group =>
        {
            var tiers = pools.Select(group[0].Tier).ToArray();
            return group[0].Pool is null
                ? new PackingItem(group[0].Request, 0, group.Count, reward, tiers)
                : new PackingItem(group[0].Request, group.Count, 0, 0, tiers);
        }).ToList();
        Problem = new PackingProblem(packingItems, kinds, room, tierPenalty, patterns);
    }

    public IReadOnlyList<PoolState> Pools { get; }

    /// <summary>The problem, or null when the pools cannot be expressed as one (too many offerings, an odd start node).</summary>
    public PackingProblem? Problem { get; }

    /// <summary>Pods per node of the answer (an item's pods in their order), each node with its pool and instance type.</summary>
    public List<(PoolState Pool, int Type, List<RepackPod> Pods)> Assign(IReadOnlyList<PackingPattern> nodes)
    {
        var next = new int[itemPods.Count];
        var result = new List<(PoolState Pool, int Type, List<RepackPod> Pods)>();
        foreach (var node in nodes)
        {
            var pods = new List<RepackPod>();
            for (var i = 0; i < node.Counts.Length; i++)
            {
                for (var n = 0; n < node.Counts[i]; n++)
                {
                    pods.Add(itemPods[i][next[i]++]);
                }
            }

            var kind = Problem!.Kinds[node.Kind];
            result.Add((Pools[kind.Pool], kind.Type, pods));
        }

        return result;
    }

    private int IndexOf(PoolState pool) => Pools.Select((p, i) => (p, i)).First(x => x.p == pool).i;

    /// <summary>The offerings (by index in the pool's domains) a pod's zone and capacity-type requirements allow.</summary>
    private static ulong Mask(IReadOnlyList<(string Zone, string CapacityType)> domains, Requirements requirements)
    {
        var zone = requirements.Get(WellKnownLabels.Zone);
        var capacityType = requirements.Get(WellKnownLabels.CapacityType);
        var mask = 0UL;
        for (var d = 0; d < domains.Count; d++)
        {
            if ((zone?.Allows(domains[d].Zone) ?? true) && (capacityType?.Allows(domains[d].CapacityType) ?? true))
            {
                mask |= 1UL << d;
            }
        }

        return mask;
    }

    /// <summary>The type's cheapest available offering within the class, or null.</summary>
    private static double? Price(PoolState pool, int type, ulong mask, Dictionary<(string Zone, string CapacityType), int> bits)
    {
        var offered = pool.Offered[type];
        var zone = offered.Get(WellKnownLabels.Zone);
        var capacityType = offered.Get(WellKnownLabels.CapacityType);
        double? best = null;
        foreach (var offering in pool.Types[type].Offerings)
        {
            if (offering.Available && bits.TryGetValue((offering.Zone, offering.CapacityType), out var bit) && (mask >> bit & 1) == 1
                && (zone?.Allows(offering.Zone) ?? true) && (capacityType?.Allows(offering.CapacityType) ?? true)
                && (best is null || offering.Price < best))
            {
                best = offering.Price;
            }
        }

        return best;
    }
}
