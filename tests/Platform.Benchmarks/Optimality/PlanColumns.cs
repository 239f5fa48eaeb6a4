using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Optimality;

/// <summary>A plan in the exact model's terms: a column per claim, and how many pods it places and how far below their first pool.</summary>
internal static class PlanColumns
{
    public static (List<ExactColumn> Columns, int Placed, int Tiers) Of(ExactModel model, Plan plan)
    {
        var groups = Enumerable.Range(0, model.Groups.Count).ToDictionary(g => PodGroup.Signature(model.Groups[g].Pod), StringComparer.Ordinal);
        var columns = new List<ExactColumn>();
        var tiers = 0;
        foreach (var claim in plan.NodeClaims)
        {
            var pool = model.Pools.FindIndex(p => p.Name == claim.NodePool);
            var kind = model.Kinds.FindIndex(k => k.Pool == pool && k.Type == claim.Cheapest.InstanceType && k.CapacityType == claim.Cheapest.CapacityType);
            var counts = new int[model.Groups.Count];
            foreach (var pod in claim.Pods)
            {
                var g = groups[PodGroup.Signature(pod)];
                counts[g]++;
                tiers += model.Tier[g, pool];
            }

            columns.Add(new ExactColumn(kind, counts));
        }

        return (columns, plan.NodeClaims.Sum(c => c.Pods.Count), tiers);
    }
}
