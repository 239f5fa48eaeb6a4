using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling.Packing;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Improves the greedy plan pool by pool, highest weight first: the pool's new claims are re-packed with the pods
    /// the greedy plan left unplaced or spilled to lower pools, and the result replaces them when it places more pods
    /// in the pool, or the same pods for less. Only pods free of topology are moved (no spread or pod (anti-)affinity
    /// of their own and none that counts them), and only whole claims of such pods, so every count the greedy solve
    /// checked stays as it was. Each pod keeps the requirements of the variant it was placed under; every new claim is
    /// checked as the greedy solve checks one (fit, requirements, offerings, limits, minValues). Disruption's packed
    /// simulations are left alone: with one claim the greedy answer is already the cheapest type that holds its pods.
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

        if (movable.Count == 0 && !unplaced.Any(u => IsFree(groupOf[u.Pod])))
        {
            return;
        }

        using var deadline = new PackingDeadline(options, input.Pods.Count);
        foreach (var pool in pools)
        {
            if (deadline.Passed)
            {
                break;
            }

            RepackPool(pool, movable, groupOf, options.Seed, deadline);
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
            var variant = -1;
            for (var v = 0; v < group.Variants.Count && variant < 0; v++)
            {
                if (Requirements.Conflict(group.Variants[v].Requirements, bin.Requirements, _ => false) is null
                    && State(group, v).Pools[bin.Pool!.Index].Reason is null)
                {
                    variant = v;
                }
            }

            if (variant < 0)
            {
                return null;
            }

            pods.Add(new RepackPod(pod, group, variant, group.Request, group.Variants[variant].Requirements, State(group, variant).Pools[bin.Pool!.Index].Compatible, RepackTier.Placed));
        }

        return pods;
    }

    /// <summary>An optional pod for the pool under the variant, or null when it may not go there (its taints, PreferNoSchedule included).</summary>
    private RepackPod? Optional(PoolState pool, Pod pod, PodGroup group, int variant, RepackTier tier)
    {
        var fit = State(group, variant).Pools[pool.Index];
        return fit.Reason is null && pool.Template.Taints.All(t => pod.Tolerations.Any(x => x.Tolerates(t)))
            ? new RepackPod(pod, group, variant, group.Request, group.Variants[variant].Requirements, fit.Compatible, tier)
            : null;
    }

    private void RepackPool(PoolState pool, Dictionary<Bin, List<RepackPod>> movable, Dictionary<Pod, PodGroup> groupOf, int seed, PackingDeadline deadline)
    {
        var own = bins.Where(b => b.Pool == pool && movable.ContainsKey(b)).ToList();
        var pods = own.SelectMany(b => movable[b]).ToList();
        foreach (var u in unplaced)
        {
            var group = groupOf[u.Pod];
            for (var v = 0; IsFree(group) && v < group.Variants.Count; v++)
            {
                if (Optional(pool, u.Pod, group, v, RepackTier.Unplaced) is { } pod)
                {
                    pods.Add(pod);
                    break;
                }
            }
        }

        var origin = new Dictionary<Pod, Bin>(ReferenceEqualityComparer.Instance);
        foreach (var bin in bins.Where(b => b.Pool is { } p && p.Index > pool.Index && movable.ContainsKey(b)))
        {
            foreach (var placed in movable[bin])
            {
                if (Optional(pool, placed.Pod, placed.Group, placed.Variant, RepackTier.Spilled) is { } pod)
                {
                    pods.Add(pod);
                    origin[pod.Pod] = bin;
                }
            }
        }

        if (pods.Count < 2 && own.Count == pods.Count)
        {
            return; // one pod alone on its cheapest node: nothing to gain
        }

        var start = own.Select(b => ((IReadOnlyList<RepackPod>)movable[b], CheapestAllowed(pool, b).Type)).ToList();
        var reserved = (long[])pool.Reserved.Clone();
        foreach (var bin in own)
        {
            ResourceIndex.AddTo(reserved, bin.Reservation, -1);
        }

        var limits = pool.Remaining.Select((left, r) => left == long.MaxValue ? long.MaxValue : left - reserved[r]).ToArray();
        var others = bins.Count(b => b.Pool == pool) - own.Count;
        var nodeLimit = pool.NodeLimit == int.MaxValue ? int.MaxValue : pool.NodeLimit - others;
        var repack = new PoolRepack(pool, pods, start, limits, nodeLimit);
        if (repack.Problem is not { } problem || PackingSolver.Solve(problem, seed, deadline) is not { } nodes)
        {
            return;
        }

        var claims = Claims(pool, repack.Assign(nodes), reserved);
        if (claims is null)
        {
            return;
        }

        // Keep the re-pack when it places more of the pods the greedy plan could not, then more pods of lower pools
        // in this one, then when it is cheaper.
        var before = own.Sum(b => CheapestAllowed(pool, b).Price);
        var after = claims.Sum(c => c.Price);
        var gained = claims.SelectMany(c => c.Pods).Count(p => p.Tier == RepackTier.Unplaced);
        var lifted = claims.SelectMany(c => c.Pods).Count(p => p.Tier == RepackTier.Spilled);
        if ((gained, lifted) == (0, 0) && after >= before - PriceEpsilon * Math.Max(1, before))
        {
            return;
        }

        Apply(pool, own, claims, movable, origin);
    }

    /// <summary>A claim the re-pack would open: its pods, type, requirements, options and price.</summary>
    private sealed record RepackClaim(List<RepackPod> Pods, int Type, Requirements Requirements, List<int> Options, long[] Used, double Price);

    /// <summary>
    /// The re-pack's nodes as claims, each checked as the greedy solve checks a claim; null when any fails. Each claim
    /// reserves its type's capacity. A claim of a pool with limits may fall back only to options no cheaper than its
    /// type or no larger in what the limits count, and each within what the others leave, so the claims' cheapest
    /// options together keep the limits, as every fallback does alone.
    /// </summary>
    private List<RepackClaim>? Claims(PoolState pool, List<(int Type, List<RepackPod> Pods)> nodes, long[] reserved)
    {
        var total = (long[])reserved.Clone();
        foreach (var (type, _) in nodes)
        {
            ResourceIndex.AddTo(total, pool.Capacity[type]);
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

            if (requirements.FirstEmpty() is not null || PoolState.MinPrice(pool.Types[type], requirements) is not { } own)
            {
                return null;
            }

            var fits = pods.Select(p => p.Fits).Distinct(ReferenceEqualityComparer.Instance).Cast<bool[]>().ToList();
            var options = new List<int>();
            for (var t = 0; t < pool.Types.Count; t++)
            {
                if (!fits.All(f => f[t]) || !ResourceIndex.Fits(used, pool.Allocatable[t]) || PoolState.MinPrice(pool.Types[t], requirements) is not { } price)
                {
                    continue;
                }

                if (t == type || !pool.HasResourceLimits || (price > own && Within(pool, pool.Capacity[t], total, pool.Capacity[type])) || NoLarger(pool, t, type))
                {
                    options.Add(t);
                }
            }

            if (!options.Contains(type) || MinValuesProblem(pool, options, requirements) is not null)
            {
                return null;
            }

            claims.Add(new RepackClaim(pods, type, requirements, options, used, Cheapest(pool, options, requirements).Price));
        }

        return claims;
    }

    /// <summary>Whether a type fits what the limits leave with the others' reservations (<paramref name="total"/> less its own).</summary>
    private static bool Within(PoolState pool, long[] capacity, long[] total, long[] own)
    {
        for (var r = 0; r < capacity.Length; r++)
        {
            if (pool.Remaining[r] != long.MaxValue && capacity[r] > pool.Remaining[r] - (total[r] - own[r]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether type <paramref name="t"/> counts no more than <paramref name="than"/> against any limit.</summary>
    private static bool NoLarger(PoolState pool, int t, int than)
    {
        for (var r = 0; r < pool.Remaining.Length; r++)
        {
            if (pool.Remaining[r] != long.MaxValue && pool.Capacity[t][r] > pool.Capacity[than][r])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The claim's cheapest option within the limits, as the plan will report it.</summary>
    private static (int Type, double Price) CheapestAllowed(PoolState pool, Bin bin)
    {
        var allowed = bin.Options.Where(t => pool.WithinLimits(t, bin.Reservation)).ToList();
        return Cheapest(pool, allowed.Count > 0 ? allowed : bin.Options, bin.Requirements);
    }

    /// <summary>Replaces the pool's re-packed claims with the new ones, moving placements and the pods taken from elsewhere.</summary>
    private void Apply(PoolState pool, List<Bin> own, List<RepackClaim> claims, Dictionary<Bin, List<RepackPod>> movable, Dictionary<Pod, Bin> origin)
    {
        foreach (var bin in own)
        {
            ResourceIndex.AddTo(pool.Reserved, bin.Reservation, -1);
            movable.Remove(bin);
        }

        // New claims take the places and names of the old ones, so the plan reads as before where nothing changed.
        var moved = new List<(RepackPod Pod, string Target)>();
        for (var c = 0; c < claims.Count; c++)
        {
            var claim = claims[c];
            var slot = c < own.Count ? bins.IndexOf(own[c]) : bins.Count;
            var name = c < own.Count ? own[c].Name : $"{pool.Name}-{++pool.Claims}";
            var bin = new Bin(slot, name, pool, claim.Requirements, claim.Options, claim.Used, new long[resources.Count]);
            Reserve(pool, bin, claim.Type);
            bin.Pods.AddRange(claim.Pods.Select(p => p.Pod));
            moved.AddRange(claim.Pods.Select(p => (p, name)));
            if (slot < bins.Count)
            {
                bins[slot] = bin;
            }
            else
            {
                bins.Add(bin);
            }
        }

        foreach (var gone in own.Skip(claims.Count))
        {
            bins.Remove(gone);
        }

        foreach (var (pod, _) in moved.Where(m => m.Pod.Tier == RepackTier.Spilled))
        {
            TakeFrom(origin[pod.Pod], pod, movable);
        }

        var target = new Dictionary<Pod, string>(ReferenceEqualityComparer.Instance);
        foreach (var (pod, name) in moved)
        {
            target[pod.Pod] = name;
        }

        for (var p = 0; p < placements.Count; p++)
        {
            if (target.TryGetValue(placements[p].Pod, out var name))
            {
                placements[p] = new PodPlacement(placements[p].Pod, name, true);
            }
        }

        // Pods the greedy plan could not place are placed now, after the rest.
        var placedNow = moved.Where(m => m.Pod.Tier == RepackTier.Unplaced).ToList();
        var nowPlaced = placedNow.Select(m => m.Pod.Pod).ToHashSet(ReferenceEqualityComparer.Instance);
        unplaced.RemoveAll(u => nowPlaced.Contains(u.Pod));
        placements.AddRange(placedNow.Select(m => new PodPlacement(m.Pod.Pod, m.Target, true)));
    }

    /// <summary>Takes a pod off a lower pool's claim; a claim left empty goes.</summary>
    private void TakeFrom(Bin bin, RepackPod pod, Dictionary<Bin, List<RepackPod>> movable)
    {
        bin.Pods.Remove(pod.Pod);
        ResourceIndex.AddTo(bin.Used, pod.Request, -1);
        movable[bin].RemoveAll(p => ReferenceEquals(p.Pod, pod.Pod));
        if (bin.Pods.Count == 0)
        {
            ResourceIndex.AddTo(bin.Pool!.Reserved, bin.Reservation, -1);
            movable.Remove(bin);
            bins.Remove(bin);
        }
    }
}
