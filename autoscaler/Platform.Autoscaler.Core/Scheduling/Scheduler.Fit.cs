using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    private Compatibility Compatible(PoolState pool, Pod pod, Variant variant)
    {
        var key = variant.Requirements + "\n" + string.Join("|", pod.Tolerations.Select(t => $"{t.Key}:{t.Operator}:{t.Value}:{t.Effect}"))
            + (variant.ToleratesPreferNoSchedule ? "\n+PreferNoSchedule" : "");
        if (pool.Cached.Compatibility.TryGetValue(key, out var found))
        {
            return found;
        }

        var matches = new bool[pool.Types.Count];
        var prices = new double[pool.Types.Count];
        string? reason = null;
        string? firstConflict = null;
        if (Toleration.FirstUntolerated(pod.Tolerations, pool.Template.Taints, !variant.ToleratesPreferNoSchedule) is { } taint)
        {
            reason = $"does not tolerate taint {taint.Key}{(taint.Value is null ? "" : "=" + taint.Value)}:{taint.Effect}";
        }
        else if (Requirements.Conflict(variant.Requirements, pool.Template.Requirements, k => LabelRules.WellKnown.Contains(k)) is { } conflict)
        {
            reason = conflict.Replace("nodes offer", "nodepool allows", StringComparison.Ordinal);
        }
        else if (pool.Types.Count == 0)
        {
            reason = "no instance type of its node class matches its requirements and available offerings";
        }
        else
        {
            for (var t = 0; t < pool.Types.Count; t++)
            {
                var offered = pool.Offered[t];
                if (Requirements.Conflict(variant.Requirements, offered, _ => false) is { } typeConflict)
                {
                    firstConflict ??= typeConflict;
                    continue;
                }

                if (PoolState.MinPrice(pool.Types[t], offered.Intersect(variant.Requirements)) is { } price)
                {
                    matches[t] = true;
                    prices[t] = price;
                }
            }

            if (!matches.Any(m => m))
            {
                reason = $"no instance type matches: {firstConflict ?? "no offering in the zones and capacity types it allows"}";
            }
        }

        var cached = new Compatibility(reason, matches, prices);
        pool.Cached.Compatibility[key] = cached;
        return cached;
    }

    /// <summary>Which of a pool's types a variant fits on alone, and if none, the clearest reason why.</summary>
    private PoolFit Fit(PoolState pool, PodGroup group, Variant variant)
    {
        var compatible = Compatible(pool, group.Template, variant);
        var fits = new bool[pool.Types.Count];
        if (compatible.Reason is not null)
        {
            return new PoolFit(compatible.Reason, fits, 0);
        }

        var need = (long[])group.Request.Clone();
        ResourceIndex.AddTo(need, pool.Overhead);
        var standalone = double.MaxValue;
        for (var t = 0; t < pool.Types.Count; t++)
        {
            if (compatible.Matches[t] && ResourceIndex.Fits(need, pool.Allocatable[t]))
            {
                fits[t] = true;
                standalone = Math.Min(standalone, compatible.Price[t]);
            }
        }

        return standalone == double.MaxValue
            ? new PoolFit(ShortestResource(need, pool, compatible.Matches), fits, 0)
            : new PoolFit(null, fits, standalone);
    }

    /// <summary>Names the resource no matching type has enough of, with the need and the best offer.</summary>
    private string ShortestResource(long[] need, PoolState pool, bool[] matches)
    {
        for (var r = 0; r < need.Length; r++)
        {
            var best = pool.Allocatable.Where((_, t) => matches[t]).Max(a => a[r]);
            if (need[r] > best)
            {
                var name = resources.Name(r);
                return $"no instance type has enough {name}: needs {ResourceList.Format(name, need[r])} with daemonsets, largest allocatable {ResourceList.Format(name, best)}";
            }
        }

        return "no single instance type has enough of every resource at once";
    }
}
