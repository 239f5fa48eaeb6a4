using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling.Packing;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Loads the re-pack's solvers (OR-Tools' native library, GLOP and SCIP), which the first re-pack would otherwise
    /// spend its budget on: 0.2 to 3 s on this project's build machine, far past the provisioner's 200 ms.
    /// </summary>
    public static void LoadSolvers() => PackingSolver.Load();

    /// <summary>
    /// Improves the greedy plan. Pools that share pods are re-packed together: their new claims' pods and the pods the
    /// greedy plan left unplaced, onto new nodes of any of the pools each pod may use. The result replaces the claims
    /// when it places more pods, or puts fewer below the first pool by weight they could use, or costs less. Only pods
    /// free of topology move (no spread or pod (anti-)affinity of their own and none that counts them), and only whole
    /// claims of such pods, so every count the greedy solve checked stays as it was. Each pod keeps the requirements of
    /// the variant it was placed under, and goes to another pool only if it tolerates all its taints (PreferNoSchedule
    /// too); every new claim is checked as the greedy solve checks one (fit, requirements, offerings, limits,
    /// minValues). Disruption's packed simulations are left alone: with one claim allowed, the greedy answer is already
    /// the cheapest type that holds the pods.
    /// </summary>
    private void Repack(IReadOnlyList<(Pod Pod, PodGroup Group)> ordered)
    {
        var options = input.Packing ?? PackingOptions.Default;
        if (!options.Enabled || input.PackClaims || pools.Count == 0)
        {
            return;
        }

        var groupOf = new Dictionary<Pod, PodGroup>(ReferenceEqualityComparer.Instance);
        foreach (var (pod, group) in ordered)
        {
            groupOf[pod] = group;
        }

        var movable = new Dictionary<Bin, List<RepackPod>>();
        foreach (var bin in bins.Where(b => b.IsNew))
        {
            if (Movable(bin, groupOf) is { } pods)
            {
                movable[bin] = pods;
            }
        }

        var waiting = unplaced.Select(u => Unplaced(u.Pod, groupOf[u.Pod])).OfType<RepackPod>().ToList();
        if (movable.Count == 0 && waiting.Count == 0)
        {
            return;
        }

        // Components where pods wait for a place first, then by what their new claims cost: what is at stake, should the
        // deadline pass before every component had its turn. A claim's price is found once: re-packing one component
        // changes only its own pools' reservations, so the others' prices still hold when their turn comes.
        var greedyPrice = movable.Keys.ToDictionary(b => b, b => CheapestAllowed(b.Pool!, b).Price);
        var components = Components([.. movable.Values.SelectMany(p => p), .. waiting])
            .OrderByDescending(c => waiting.Any(p => p.Fits.Keys.Any(c.Contains)))
            .ThenByDescending(c => movable.Keys.Where(b => c.Contains(b.Pool!)).Sum(b => greedyPrice[b]))
            .ThenBy(c => c[0].Index)
            .ToList();
        using var deadline = new PackingDeadline(options, input.Pods.Count);
        foreach (var component in components)
        {
            if (deadline.Passed)
            {
                break;
            }

            var own = bins.Where(b => component.Contains(b.Pool!) && movable.ContainsKey(b)).ToList();
            var extra = waiting.Where(p => p.Fits.Keys.Any(component.Contains)).ToList();
            if (extra.Count == 0 && own.Sum(b => b.Pods.Count) < 2)
            {
                continue; // one pod alone on its cheapest node: nothing to gain
            }

            RepackComponent(component, own, [.. own.SelectMany(b => movable[b]), .. extra], greedyPrice, options.Seed, deadline);
        }
    }

    private static bool IsFree(PodGroup group) =>
        group.CountedBy.Count == 0 && group.Variants.All(v => v.Spreads.Count == 0 && v.Affinity.Count == 0 && v.AntiAffinity.Count == 0);

    /// <summary>The claim's pods with the variant each was placed under, or null when any of them must stay put.</summary>
    private List<RepackPod>? Movable(Bin bin, Dictionary<Pod, PodGroup> groupOf)
    {
        var pods = new List<RepackPod>(bin.Pods.Count);
        foreach (var pod in bin.Pods)
        {
            if (!groupOf.TryGetValue(pod, out var group) || !IsFree(group))
            {
                return null;
            }

            // The strictest variant the claim satisfies: the one placed under, or one stricter still.
            var variant = Enumerable.Range(0, group.Variants.Count).FirstOrDefault(v =>
                Requirements.Conflict(group.Variants[v].Requirements, bin.Requirements, _ => false) is null
                && State(group, v).Pools[bin.Pool!.Index].Reason is null, -1);
            if (variant < 0)
            {
                return null;
            }

            pods.Add(Repackable(pod, group, variant, bin.Pool));
        }

        return pods;
    }

    /// <summary>An unplaced pod free of topology, under its first variant some pool may take, or null (a refused pod too).</summary>
    private RepackPod? Unplaced(Pod pod, PodGroup group)
    {
        for (var v = 0; pod.Refusal is null && IsFree(group) && v < group.Variants.Count; v++)
        {
            if (Repackable(pod, group, v, null) is { Fits.Count: > 0 } repackable)
            {
                return repackable;
            }
        }

        return null;
    }

    /// <summary>The pod under the variant with the pools it may use: its own, and any whose taints it all tolerates.</summary>
    private RepackPod Repackable(Pod pod, PodGroup group, int variant, PoolState? own)
    {
        var state = State(group, variant);
        var fits = new Dictionary<PoolState, bool[]>();
        foreach (var pool in pools)
        {
            if (state.Pools[pool.Index].Reason is null && (pool == own || pool.Template.Taints.All(t => pod.Tolerations.Any(x => x.Tolerates(t)))))
            {
                fits[pool] = state.Pools[pool.Index].Compatible;
            }
        }

        return new RepackPod(pod, group, group.Request, group.Variants[variant].Requirements, fits, own);
    }

    /// <summary>Sets of pools linked by pods that may use more than one, in weight order.</summary>
    private List<List<PoolState>> Components(IEnumerable<RepackPod> pods)
    {
        var owner = pools.Select(p => p.Index).ToArray();
        int Find(int p) => owner[p] == p ? p : owner[p] = Find(owner[p]);
        var used = new HashSet<int>();
        foreach (var pod in pods)
        {
            var first = pod.Fits.Keys.Min(p => p.Index);
            foreach (var pool in pod.Fits.Keys)
            {
                used.Add(pool.Index);
                owner[Find(pool.Index)] = Find(first);
            }
        }

        return [.. pools.Where(p => used.Contains(p.Index)).GroupBy(p => Find(p.Index)).Select(g => g.ToList())];
    }

    private void RepackComponent(List<PoolState> component, List<Bin> own, List<RepackPod> pods, Dictionary<Bin, double> greedyPrice, int seed, PackingDeadline deadline)
    {
        var room = new List<PackingPool>();
        var reserved = new Dictionary<PoolState, long[]>();
        foreach (var pool in component)
        {
            var left = (long[])pool.Reserved.Clone();
            foreach (var bin in own.Where(b => b.Pool == pool))
            {
                ResourceIndex.AddTo(left, bin.Reservation, -1);
            }

            reserved[pool] = left;
            var others = bins.Count(b => b.Pool == pool) - own.Count(b => b.Pool == pool);
            room.Add(new PackingPool([.. pool.Remaining.Select((r, i) => r == long.MaxValue ? long.MaxValue : r - left[i])],
                pool.NodeLimit == int.MaxValue ? int.MaxValue : pool.NodeLimit - others));
        }

        var movedPods = new Dictionary<Pod, RepackPod>(ReferenceEqualityComparer.Instance);
        foreach (var pod in pods.Where(p => p.Pool is not null))
        {
            movedPods[pod.Pod] = pod;
        }

        var start = own.Select(b => (b.Pool!, (IReadOnlyList<RepackPod>)[.. b.Pods.Select(p => movedPods[p])], Reserved(b.Pool!, b))).ToList();
        var model = new RepackModel(component, pods, start, room);
        if (model.Problem is not { } problem || PackingSolver.Solve(problem, seed, deadline) is not { } nodes)
        {
            return;
        }

        var claims = new List<RepackClaim>();
        foreach (var perPool in model.Assign(nodes).GroupBy(n => n.Pool))
        {
            if (Claims(perPool.Key, [.. perPool.Select(n => (n.Type, n.Pods))], reserved[perPool.Key], own) is not { } made)
            {
                return;
            }

            claims.AddRange(made);
        }

        // Keep the re-pack when it places more pods, then when fewer are below their first pool, then when it is cheaper.
        var placed = claims.Sum(c => c.Pods.Count);
        var tiers = claims.Sum(c => c.Pods.Sum(p => p.Tier(c.Pool)));
        var cost = claims.Sum(c => c.Price);
        var greedyPlaced = own.Sum(b => b.Pods.Count);
        var greedyTiers = own.Sum(b => b.Pods.Sum(p => movedPods[p].Tier(b.Pool!)));
        var greedyCost = own.Sum(b => greedyPrice[b]);
        var better = placed != greedyPlaced ? placed > greedyPlaced
            : tiers != greedyTiers ? tiers < greedyTiers
            : cost < greedyCost - PriceEpsilon * Math.Max(1, greedyCost);
        if (better)
        {
            Apply(own, claims);
        }
    }

    /// <summary>A claim the re-pack would open: its pool, pods, type, requirements, options and price.</summary>
    private sealed record RepackClaim(PoolState Pool, List<RepackPod> Pods, int Type, Requirements Requirements, List<int> Options, long[] Used, double Price);

    /// <summary>
    /// The re-pack's nodes of one pool as claims, each checked as the greedy solve checks a claim; null when any fails.
    /// Each claim reserves its type's capacity. A claim of a pool with limits may fall back only to options no cheaper
    /// than its type or no larger in what the limits count, and each within what the others leave, so the claims'
    /// cheapest options together keep the limits, as every fallback does alone.
    /// </summary>
    private List<RepackClaim>? Claims(PoolState pool, List<(int Type, List<RepackPod> Pods)> nodes, long[] reserved, List<Bin> replaced)
    {
        var total = (long[])reserved.Clone();
        foreach (var (type, _) in nodes)
        {
            ResourceIndex.AddTo(total, pool.Capacity[type]);
        }

        // The solver's answer is checked, not trusted: the claims' reservations must keep the limits together.
        var others = bins.Count(b => b.Pool == pool && !replaced.Contains(b));
        if (!pool.AtMostOnLimited(total, pool.Remaining)
            || (pool.NodeLimit != int.MaxValue && others + nodes.Count > pool.NodeLimit))
        {
            return null;
        }

        if (MinValuesBrokenElsewhere(pool, total, replaced) is not null)
        {
            return null;
        }

        var claims = new List<RepackClaim>(nodes.Count);
        foreach (var (type, pods) in nodes)
        {
            var requirements = pods.Aggregate(pool.Template.Requirements, (r, p) => r.Intersect(p.Requirements));
            var used = (long[])pool.Overhead.Clone();
            foreach (var pod in pods)
            {
                ResourceIndex.AddTo(used, pod.Request);
            }

            if (requirements.FirstEmpty() is not null || PoolState.MinPrice(pool.Types[type], requirements) is not { } typePrice)
            {
                return null;
            }

            var fits = pods.Select(p => p.Fits[pool]).Distinct(ReferenceEqualityComparer.Instance).Cast<bool[]>().ToList();
            var options = new List<int>();
            for (var t = 0; t < pool.Types.Count; t++)
            {
                if (!fits.All(f => f[t]) || !ResourceIndex.Fits(used, pool.Allocatable[t]) || PoolState.MinPrice(pool.Types[t], requirements) is not { } price)
                {
                    continue;
                }

                if (t == type || !pool.HasResourceLimits || (price > typePrice && pool.WithinLimits(t, pool.Capacity[type], total)) || pool.AtMostOnLimited(pool.Capacity[t], pool.Capacity[type]))
                {
                    options.Add(t);
                }
            }

            if (!options.Contains(type) || MinValuesProblem(pool, options, requirements) is not null)
            {
                return null;
            }

            claims.Add(new RepackClaim(pool, pods, type, requirements, options, used, Cheapest(pool, options, requirements).Price));
        }

        return claims;
    }

    /// <summary>
    /// The claim's cheapest option no larger than what it reserved against the limits: the greedy node as the re-pack
    /// counts it. (Its cheapest option within the limits may be larger: each option fits alone, not all at once.)
    /// </summary>
    private static int Reserved(PoolState pool, Bin bin)
    {
        var within = bin.Options.Where(t => pool.AtMostOnLimited(pool.Capacity[t], bin.Reservation)).ToList();
        return Cheapest(pool, within.Count > 0 ? within : bin.Options, bin.Requirements).Type;
    }

    /// <summary>The claim's cheapest option within the limits, as the plan will report it.</summary>
    private static (int Type, double Price) CheapestAllowed(PoolState pool, Bin bin)
    {
        var allowed = bin.Options.Where(t => pool.WithinLimits(t, bin.Reservation)).ToList();
        return Cheapest(pool, allowed.Count > 0 ? allowed : bin.Options, bin.Requirements);
    }

    /// <summary>
    /// Replaces the re-packed claims with the new ones and moves the placements. New claims take the places and names
    /// of old ones of their pool, so the plan reads as before where little changed.
    /// </summary>
    private void Apply(List<Bin> own, List<RepackClaim> claims)
    {
        foreach (var bin in own)
        {
            ResourceIndex.AddTo(bin.Pool!.Reserved, bin.Reservation, -1);
        }

        var target = new Dictionary<Pod, string>(ReferenceEqualityComparer.Instance);
        foreach (var perPool in claims.GroupBy(c => c.Pool))
        {
            var pool = perPool.Key;
            var old = own.Where(b => b.Pool == pool).ToList();
            var index = 0;
            foreach (var claim in perPool)
            {
                var slot = index < old.Count ? bins.IndexOf(old[index]) : bins.Count;
                var name = index < old.Count ? old[index].Name : $"{pool.Name}-{++pool.Claims}";
                var bin = new Bin(slot, name, pool, claim.Requirements, claim.Options, claim.Price, claim.Used, new long[resources.Count]);
                Reserve(pool, bin, claim.Type);
                bin.Pods.AddRange(claim.Pods.Select(p => p.Pod));
                foreach (var pod in claim.Pods)
                {
                    target[pod.Pod] = name;
                }

                if (slot < bins.Count)
                {
                    bins[slot] = bin;
                }
                else
                {
                    bins.Add(bin);
                }

                index++;
            }
        }

        var replaced = new HashSet<Bin>(own);
        bins.RemoveAll(replaced.Contains); // the old claims no new one took the place of
        for (var p = 0; p < placements.Count; p++)
        {
            if (target.Remove(placements[p].Pod, out var name))
            {
                placements[p] = new PodPlacement(placements[p].Pod, name, true);
            }
        }

        // What is left are pods the greedy plan could not place: placed now, after the rest, in the order they were tried.
        var now = unplaced.Where(u => target.ContainsKey(u.Pod)).ToList();
        unplaced.RemoveAll(u => target.ContainsKey(u.Pod));
        placements.AddRange(now.Select(u => new PodPlacement(u.Pod, target[u.Pod], true)));
    }
}
