using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>Checks of a plan that the scheduler's properties and the re-pack's share.</summary>
internal static class PlanChecks
{
    /// <summary>Each limited pool's usage and cheapest options stay within its limits, and so does any one option launched in place of its claim's cheapest.</summary>
    public static void LimitsKept(RandomScenario s, Plan plan)
    {
        foreach (var pool in s.Pools.Where(p => p.Limits is not null))
        {
            var claims = plan.NodeClaims.Where(c => c.NodePool == pool.Name).ToList();
            var capacities = claims.Select(c => pool.InstanceTypes.Single(t => t.Name == c.Cheapest.InstanceType).Capacity).ToList();
            var total = capacities.Aggregate(pool.Usage, (sum, c) => sum.Add(c));
            foreach (var (name, limit) in pool.Limits!.Entries)
            {
                Assert.True(total[name] <= limit, $"{s}: {pool.Name} uses {total[name]} {name}, limit {limit}");
                for (var i = 0; i < claims.Count; i++)
                {
                    foreach (var option in claims[i].Options)
                    {
                        var capacity = pool.InstanceTypes.Single(t => t.Name == option.InstanceType).Capacity;
                        Assert.True(total[name] - capacities[i][name] + capacity[name] <= limit, $"{s}: fallback {option.InstanceType} of {claims[i].Name} would exceed {name}");
                    }
                }
            }
        }
    }
}
