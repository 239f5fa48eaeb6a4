using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// One pool's re-pack as a <see cref="PackingProblem"/>: pods with the same request, requirements and tier become one
/// item; each instance type within each set of offerings the items allow (zones and capacity types, as a bitmask over
/// the pool's offerings) becomes a kind. Turns the solver's node patterns back into pods per node.
/// </summary>
internal sealed class PoolRepack
{
    /// <summary>Reward for placing an optional pod, in node prices: above any saving a re-pack could make.</summary>
    private const double UnplacedReward = 100;

    private const double SpilledReward = 10;

    private readonly List<List<RepackPod>> itemPods = [];

    /// <param name="pool">The pool, compiled.</param>
    /// <param name="pods">Every pod of the re-pack: the start nodes' pods first, then the optional ones.</param>
    /// <param name="start">The greedy plan's nodes: their pods (from <paramref name="pods"/>) and instance type.</param>
    /// <param name="limits">What the pool's limits leave for the re-pack, per resource.</param>
    /// <param name="nodeLimit">How many nodes the re-pack may buy.</param>
    public PoolRepack(PoolState pool, IReadOnlyList<RepackPod> pods, IReadOnlyList<(IReadOnlyList<RepackPod> Pods, int Type)> start, long[] limits, int nodeLimit)
    {
        var domains = pool.Cached.Domains;
        if (domains.Count > 64)
        {
            return;
        }

        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var masks = new List<ulong>();
        var fits = new List<bool[]>();
        var itemOf = new Dictionary<RepackPod, int>(ReferenceEqualityComparer.Instance);
        foreach (var pod in pods)
        {
            var key = $"{pod.Tier}|{string.Join(",", pod.Request)}|{pod.Requirements}";
            if (!items.TryGetValue(key, out var item))
            {
                item = itemPods.Count;
                items[key] = item;
                itemPods.Add([]);
                masks.Add(Mask(domains, pod.Requirements));
                fits.Add(pod.Fits);
            }

            itemPods[item].Add(pod);
            itemOf[pod] = item;
        }

        // Each start node's set of offerings is what all its pods allow; every item's own set is a class too.
        var classes = masks.Distinct().ToList();
        var startMasks = start.Select(s => s.Pods.Aggregate(ulong.MaxValue, (m, p) => m & masks[itemOf[p]])).ToList();
        classes.AddRange(startMasks.Where(m => !classes.Contains(m)));

        var maxPrice = 0.0;
        var kinds = new List<PackingKind>();
        var kindOf = new Dictionary<(int Type, ulong Class), int>();
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
                    if ((masks[i] & mask) == mask && fits[i][t])
                    {
                        allows.Add(i);
                    }
                }

                var free = (long[])pool.Allocatable[t].Clone();
                ResourceIndex.AddTo(free, pool.Overhead, -1);
                kindOf[(t, mask)] = kinds.Count;
                kinds.Add(new PackingKind(t, free, pool.Capacity[t], price, allows));
                maxPrice = Math.Max(maxPrice, allows.IsEmpty ? 0 : price);
            }
        }

        var patterns = new List<PackingPattern>();
        for (var s = 0; s < start.Count; s++)
        {
            if (!kindOf.TryGetValue((start[s].Type, startMasks[s]), out var kind))
            {
                return; // the greedy node is not expressible here: leave the pool as the greedy solve left it
            }

            var counts = new int[itemPods.Count];
            foreach (var pod in start[s].Pods)
            {
                counts[itemOf[pod]]++;
            }

            patterns.Add(new PackingPattern(kind, counts));
        }

        var packingItems = itemPods.Select(group =>
        {
            var tier = group[0].Tier;
            return tier == RepackTier.Placed
                ? new PackingItem(group[0].Request, group.Count, 0, 0)
                : new PackingItem(group[0].Request, 0, group.Count, maxPrice * (tier == RepackTier.Unplaced ? UnplacedReward : SpilledReward));
        }).ToList();
        Problem = new PackingProblem(packingItems, kinds, limits, nodeLimit, patterns);
    }

    /// <summary>The problem, or null when the pool cannot be expressed as one (too many offerings, an odd start node).</summary>
    public PackingProblem? Problem { get; }

    /// <summary>Pods per node of the answer (an item's pods in their order), each node with its kind's instance type.</summary>
    public List<(int Type, List<RepackPod> Pods)> Assign(IReadOnlyList<PackingPattern> nodes)
    {
        var next = new int[itemPods.Count];
        var result = new List<(int Type, List<RepackPod> Pods)>();
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

            result.Add((Problem!.Kinds[node.Kind].Type, pods));
        }

        return result;
    }

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
