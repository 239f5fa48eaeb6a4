using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Which of a pool's types a variant fits on alone, and if none, the clearest reason why.</summary>
    private PoolFit Fit(PoolState pool, PodGroup group, Variant variant)
    {
        var compatible = new bool[pool.Types.Count];
        var pod = group.Template;
        if (Toleration.FirstUntolerated(pod.Tolerations, pool.Template.Taints) is { } taint)
        {
            return new PoolFit($"does not tolerate taint {taint.Key}{(taint.Value is null ? "" : "=" + taint.Value)}:{taint.Effect}", compatible, 0);
        }

        if (Requirements.Conflict(variant.Requirements, pool.Template.Requirements, key => LabelRules.WellKnown.Contains(key)) is { } conflict)
        {
            return new PoolFit(conflict.Replace("nodes offer", "nodepool allows", StringComparison.Ordinal), compatible, 0);
        }

        if (pool.Types.Count == 0)
        {
            return new PoolFit("no instance type of its node class matches its requirements and available offerings", compatible, 0);
        }

        var need = (long[])group.Request.Clone();
        ResourceIndex.AddTo(need, pool.Overhead);
        string? firstConflict = null;
        var anyRequirementFit = false;
        var standalone = double.MaxValue;
        for (var t = 0; t < pool.Types.Count; t++)
        {
            var offered = pool.Offered[t];
            var typeConflict = Requirements.Conflict(variant.Requirements, offered, _ => false);
            if (typeConflict is not null)
            {
                firstConflict ??= typeConflict;
                continue;
            }

            anyRequirementFit = true;
            if (!ResourceIndex.Fits(need, pool.Allocatable[t]))
            {
                continue;
            }

            compatible[t] = true;
            if (PoolState.MinPrice(pool.Types[t], offered.Intersect(variant.Requirements)) is { } price)
            {
                standalone = Math.Min(standalone, price);
            }
        }

        if (!anyRequirementFit)
        {
            return new PoolFit($"no instance type matches: {firstConflict}", compatible, 0);
        }

        if (standalone == double.MaxValue)
        {
            return new PoolFit(ShortestResource(need, pool), compatible, 0);
        }

        return new PoolFit(null, compatible, standalone);
    }

    /// <summary>Names the resource no type has enough of, with the need and the best offer.</summary>
    private string ShortestResource(long[] need, PoolState pool)
    {
        for (var r = 0; r < need.Length; r++)
        {
            var best = pool.Allocatable.Max(a => a[r]);
            if (need[r] > best)
            {
                var name = resources.Name(r);
                return $"no instance type has enough {name}: needs {ResourceList.Format(name, need[r])} with daemonsets, largest allocatable {ResourceList.Format(name, best)}";
            }
        }

        return "no single instance type has enough of every resource at once";
    }
}
