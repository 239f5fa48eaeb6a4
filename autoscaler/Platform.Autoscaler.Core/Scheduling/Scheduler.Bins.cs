using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    private Outcome TryNode(Bin bin, Pod pod, PodGroup group, VariantState state)
    {
        // The resource check first: on a busy cluster most nodes are simply full, and it is the cheapest.
        var node = bin.Node!;
        if (!ResourceIndex.FitsWith(bin.Used, group.Request, bin.Allocatable)
            || node.Unschedulable
            || Toleration.FirstUntolerated(pod.Tolerations, bin.Taints, !state.Variant.ToleratesPreferNoSchedule) is not null
            || Requirements.Conflict(state.Variant.Requirements, bin.Requirements, _ => false) is not null)
        {
            return Outcome.Never;
        }

        if (Restrict(bin, bin.Requirements, pod, group, state, out _) is { Reason: not null } verdict)
        {
            return verdict.Permanent ? Outcome.Never : Outcome.NotNow;
        }

        ResourceIndex.AddTo(bin.Used, group.Request);
        Commit(bin, pod, group, state);
        return Outcome.Placed;
    }

    private Outcome TryClaim(Bin bin, Pod pod, PodGroup group, VariantState state)
    {
        var pool = bin.Pool!;
        var fit = state.Pools[pool.Index];
        if (fit.Reason is not null)
        {
            return Outcome.Never;
        }

        // Checked as bin.Used + request without a copy: this runs for every open claim a pod tries.
        if (!ResourceIndex.FitsWith(bin.Used, group.Request, bin.MaxAllocatable))
        {
            return Outcome.Never; // no option is big enough, and the claim only grows
        }

        var requirements = bin.Requirements.Intersect(state.Variant.Requirements);
        if (!ReferenceEquals(requirements, bin.Requirements) && requirements.FirstEmpty() is not null)
        {
            return Outcome.Never;
        }

        if (Restrict(bin, requirements, pod, group, state, out var narrowed) is { Reason: not null } verdict)
        {
            return verdict.Permanent ? Outcome.Never : Outcome.NotNow;
        }

        var narrowedLabels = narrowed is null ? null : NarrowedLabels(requirements, narrowed);
        requirements = narrowed ?? requirements;
        if (ReferenceEquals(requirements, bin.Requirements) && fit.AllCompatible && !pool.HasResourceLimits && ResourceIndex.FitsWith(bin.Used, group.Request, bin.MinAllocatable))
        {
            // Every option still fits and nothing narrowed: same options, same price.
            ResourceIndex.AddTo(bin.Used, group.Request);
            Commit(bin, pod, group, state);
            return Outcome.Placed;
        }

        var options = new List<int>(bin.Options.Count);
        var limited = false;
        foreach (var t in bin.Options)
        {
            if (!fit.Compatible[t] || !ResourceIndex.FitsWith(bin.Used, group.Request, pool.Allocatable[t]))
            {
                continue;
            }

            if (!pool.WithinLimits(t, bin.Reservation))
            {
                limited = true;
                continue;
            }

            if (narrowed is null || (PoolState.MinPrice(pool.Types[t], requirements) is not null && Offers(pool.Offered[t], narrowedLabels)))
            {
                options.Add(t);
            }
        }

        if (options.Count == 0 || MinValuesProblem(pool, options, requirements) is not null)
        {
            return narrowed is null && !limited ? Outcome.Never : Outcome.NotNow;
        }

        var before = bin.CheapestPrice;
        var (cheapest, after) = Cheapest(pool, options, requirements);
        if (!input.PackClaims && after - before > fit.Standalone + PriceEpsilon)
        {
            return Outcome.Never; // a node of its own is cheaper than growing this one
        }

        if (pool.LimitsMeetMinValues && MinValuesBrokenElsewhere(pool, Reserving(pool, bin.Reservation, cheapest), [bin]) is not null)
        {
            return Outcome.NotNow;
        }

        bin.Requirements = requirements;
        bin.ForgetDomains();
        if (options.Count != bin.Options.Count)
        {
            bin.Options = options; // a filtered copy of the same count is the same list: its bounds stand
        }

        bin.CheapestPrice = after;
        ResourceIndex.AddTo(bin.Used, group.Request);
        Reserve(pool, bin, cheapest);
        Commit(bin, pod, group, state);
        return Outcome.Placed;
    }

    /// <summary>Opens a claim of the pool for the pod, or says why the pool cannot take it.</summary>
    private string? TryNewClaim(PoolState pool, Pod pod, PodGroup group, VariantState state)
    {
        if (PlanNewClaim(pool, pod, group, state, out var claim) is { } reason)
        {
            return reason;
        }

        OpenClaim(claim, pod, group, state);
        return null;
    }

    /// <summary>The claim the pool would open for the pod (nothing changes yet), or why it cannot.</summary>
    private string? PlanNewClaim(PoolState pool, Pod pod, PodGroup group, VariantState state, out NewClaim claim)
    {
        claim = default;
        var fit = state.Pools[pool.Index];
        if (fit.Reason is not null)
        {
            return fit.Reason;
        }

        if (pool.Claims >= pool.NodeLimit)
        {
            return $"would exceed limit nodes ({pool.Template.Limits?[WellKnownResources.Nodes]})";
        }

        var requirements = pool.Template.Requirements.Intersect(state.Variant.Requirements);
        if (requirements.FirstEmpty() is { } empty)
        {
            return $"requirements conflict on {empty.Key}";
        }

        if (Restrict(null, requirements, pod, group, state, out var narrowed).Reason is { } topology)
        {
            return topology;
        }

        var narrowedLabels = narrowed is null ? null : NarrowedLabels(requirements, narrowed);
        requirements = narrowed ?? requirements;
        var used = (long[])pool.Overhead.Clone();
        ResourceIndex.AddTo(used, group.Request);
        var none = new long[resources.Count];
        var options = new List<int>();
        var limited = -1;
        for (var t = 0; t < pool.Types.Count; t++)
        {
            if (!fit.Compatible[t] || PoolState.MinPrice(pool.Types[t], requirements) is null || !Offers(pool.Offered[t], narrowedLabels))
            {
                continue;
            }

            if (!pool.WithinLimits(t, none))
            {
                limited = limited < 0 ? t : limited;
                continue;
            }

            options.Add(t);
        }

        if (options.Count == 0)
        {
            return limited >= 0 ? LimitReason(pool, limited) : "no instance type is offered in the zones and capacity types left after topology constraints";
        }

        if (MinValuesProblem(pool, options, requirements) is { } minValues)
        {
            return minValues;
        }

        var cheapest = Cheapest(pool, options, requirements);
        if (pool.LimitsMeetMinValues && MinValuesBrokenElsewhere(pool, Reserving(pool, none, cheapest.Type), []) is { } broken)
        {
            return broken;
        }

        claim = new NewClaim(pool, requirements, options, cheapest, used);
        return null;
    }

    private void OpenClaim(NewClaim claim, Pod pod, PodGroup group, VariantState state)
    {
        var pool = claim.Pool;
        var bin = new Bin(bins.Count, $"{pool.Name}-{pool.Claims + 1}", pool, claim.Requirements, claim.Options, claim.Cheapest.Price, claim.Used, new long[resources.Count]);
        pool.Claims++;
        bins.Add(bin);
        Reserve(pool, bin, claim.Cheapest.Type);
        Commit(bin, pod, group, state);
    }

    /// <summary>A claim a pool could open for a pod: its requirements, its options (type indices), the cheapest of them and what the pod uses of it.</summary>
    private readonly record struct NewClaim(PoolState Pool, Requirements Requirements, List<int> Options, (int Type, double Price) Cheapest, long[] Used);

    /// <summary>
    /// What topology narrowed on keys other than zone and capacity type (those the offerings check): a spread over
    /// kubernetes.io/arch or a NodePool's own label. Null when nothing else narrowed, the common case.
    /// </summary>
    private static List<Requirement>? NarrowedLabels(Requirements before, Requirements after)
    {
        List<Requirement>? changed = null;
        foreach (var requirement in after.All)
        {
            if (requirement.Key is not (WellKnownLabels.Zone or WellKnownLabels.CapacityType) && !ReferenceEquals(requirement, before.Get(requirement.Key)))
            {
                (changed ??= []).Add(requirement);
            }
        }

        return changed;
    }

    /// <summary>Whether a type (what it offers with its pool) still allows every narrowed label; labels it leaves open come from the claim.</summary>
    private static bool Offers(Requirements offered, List<Requirement>? narrowed)
    {
        foreach (var requirement in narrowed ?? [])
        {
            if (offered.Get(requirement.Key) is { } offer && requirement.Intersect(offer) is { Complement: false, Values.Count: 0 })
            {
                return false;
            }
        }

        return true;
    }

    private string LimitReason(PoolState pool, int type)
    {
        var capacity = pool.Capacity[type];
        for (var r = 0; r < capacity.Length; r++)
        {
            if (pool.Remaining[r] != long.MaxValue && capacity[r] > pool.Remaining[r] - pool.Reserved[r])
            {
                var name = resources.Name(r);
                var limit = pool.Template.Limits![name];
                return $"would exceed limit {name}: limit {ResourceList.Format(name, limit)}, in use {ResourceList.Format(name, limit - pool.Remaining[r] + pool.Reserved[r])}, smallest fitting node adds {ResourceList.Format(name, capacity[r])}";
            }
        }

        return "would exceed its limits";
    }

    /// <summary>
    /// Whether, with the pool's reservations at <paramref name="reserved"/>, some other new claim of the pool would keep
    /// too few options within the limits for its minValues. Each claim's options are cut to those within the limits when
    /// the plan is built (any may launch), so a claim opened or grown later must not take what an earlier one's minValues
    /// needs. Returns why, or null.
    /// </summary>
    private string? MinValuesBrokenElsewhere(PoolState pool, long[] reserved, IReadOnlyCollection<Bin> except)
    {
        if (!pool.LimitsMeetMinValues)
        {
            return null;
        }

        foreach (var other in bins)
        {
            if (other.Pool != pool || except.Contains(other))
            {
                continue;
            }

            var allowed = other.Options.Where(t => pool.WithinLimits(t, other.Reservation, reserved)).ToList();
            if (MinValuesProblem(pool, allowed, other.Requirements) is not null)
            {
                return $"would leave claim {other.Name} too few instance types within the limits for its minValues";
            }
        }

        return null;
    }

    /// <summary>The pool's reservations with one claim's changed from <paramref name="from"/> to a node of type <paramref name="type"/>.</summary>
    private static long[] Reserving(PoolState pool, long[] from, int type)
    {
        var reserved = (long[])pool.Reserved.Clone();
        ResourceIndex.AddTo(reserved, from, -1);
        ResourceIndex.AddTo(reserved, pool.Capacity[type]);
        return reserved;
    }

    /// <summary>Karpenter's minValues: the options must keep at least that many distinct values of the key.</summary>
    private static string? MinValuesProblem(PoolState pool, List<int> options, Requirements requirements)
    {
        foreach (var requirement in requirements.All)
        {
            if (requirement.MinValues is not { } min)
            {
                continue;
            }

            var distinct = options.Select(t => pool.Types[t].Labels.GetValueOrDefault(requirement.Key)).Where(v => v is not null).Distinct().Count();
            if (distinct < min)
            {
                return $"minValues {min} for {requirement.Key} cannot be met: only {distinct} value(s) remain among fitting instance types";
            }
        }

        return null;
    }

    /// <summary>The cheapest option and its price (options are in the pool's price order, which holds unless zone or capacity type narrowed).</summary>
    private static (int Type, double Price) Cheapest(PoolState pool, List<int> options, Requirements requirements)
    {
        var best = (Type: options[0], Price: double.MaxValue);
        var inPoolOrder = ReferenceEquals(requirements.Get(WellKnownLabels.Zone), pool.Template.Requirements.Get(WellKnownLabels.Zone))
            && ReferenceEquals(requirements.Get(WellKnownLabels.CapacityType), pool.Template.Requirements.Get(WellKnownLabels.CapacityType));
        foreach (var t in options)
        {
            if (PoolState.MinPrice(pool.Types[t], requirements) is { } price && price < best.Price)
            {
                best = (t, price);
                if (inPoolOrder)
                {
                    break;
                }
            }
        }

        return best;
    }

    private void Reserve(PoolState pool, Bin bin, int type)
    {
        for (var r = 0; r < bin.Reservation.Length; r++)
        {
            pool.Reserved[r] += pool.Capacity[type][r] - bin.Reservation[r];
        }

        bin.Reservation = (long[])pool.Capacity[type].Clone();
    }
}
