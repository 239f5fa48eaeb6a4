using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

/// <summary>
/// Invariants of the re-pack over random batches, against the greedy plan of the same batch. A failure prints the
/// seed that replays it.
/// </summary>
public sealed class PackingProperties
{
    /// <summary>Checks the property on batches built to give the re-pack work, then on the scheduler's usual random ones.</summary>
    private static void Check(Func<RandomScenario, bool> property, bool limits, bool topology)
    {
        Properties.Check(100, [], seed => property(PackingScenario.Create(seed, topology)));
        Properties.Check(50, [], seed => property(RandomScenario.Create(seed, limits, topology)));
    }

    private static (Plan Greedy, Plan Improved) Both(RandomScenario s) =>
        (Scheduler.Solve(new SchedulingInput(s.Pods, [], s.Pools, Packing: PackingOptions.Greedy)), s.Solve());

    /// <summary>Per pod, the rank by weight of the pool its claim belongs to (pools in the scenario's weight order).</summary>
    private static int Tiers(RandomScenario s, Plan plan)
    {
        var rank = s.Pools.OrderByDescending(p => p.Weight).ThenBy(p => p.Name, StringComparer.Ordinal).Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return plan.NodeClaims.Sum(c => c.Pods.Count * rank[c.NodePool]);
    }

    [Fact]
    public void Repack_SamePodsInTheSamePools_NeverCostsMore() => Check(s =>
    {
        var (greedy, improved) = Both(s);
        var samePools = greedy.NodeClaims.SelectMany(c => c.Pods.Select(p => (p.Id, c.NodePool))).Order()
            .SequenceEqual(improved.NodeClaims.SelectMany(c => c.Pods.Select(p => (p.Id, c.NodePool))).Order());
        Assert.True(!samePools || improved.HourlyCost <= greedy.HourlyCost + 1e-9, $"{s}: improved ${improved.HourlyCost} > greedy ${greedy.HourlyCost}");
        // A dearer plan must have bought something the greedy one could not: more pods placed, or pods in higher pools.
        Assert.True(improved.HourlyCost <= greedy.HourlyCost + 1e-9 || improved.Unplaced.Count < greedy.Unplaced.Count || Tiers(s, improved) < Tiers(s, greedy),
            $"{s}: improved ${improved.HourlyCost} > greedy ${greedy.HourlyCost} with nothing gained");
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Repack_NeverLeavesUnplacedAPodTheGreedyPlanPlaced() => Check(s =>
    {
        var (greedy, improved) = Both(s);
        var unplaced = improved.Unplaced.Select(u => u.Pod.Id).ToHashSet();
        Assert.All(greedy.Placements, p => Assert.DoesNotContain(p.Pod.Id, unplaced));
        Assert.Equal(s.Pods.Select(p => p.Id).Order(), improved.Placements.Select(p => p.Pod.Id).Concat(unplaced).Order());
        Assert.Equal(improved.Placements.Count, improved.Placements.Select(p => p.Pod.Id).Distinct().Count());
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Repack_EveryClaimsCheapestOptionHoldsItsPodsWhichTolerateAndMatchIt() => Check(s =>
    {
        var (_, plan) = Both(s);
        foreach (var claim in plan.NodeClaims)
        {
            var pool = s.Pools.Single(p => p.Name == claim.NodePool);
            Assert.Equal(claim.Pods.Select(p => p.Id).Order(), plan.Placements.Where(p => p.Target == claim.Name).Select(p => p.Pod.Id).Order());
            foreach (var option in claim.Options)
            {
                var type = pool.InstanceTypes.Single(t => t.Name == option.InstanceType);
                var requests = claim.Pods.Aggregate(pool.DaemonOverhead, (sum, p) => sum.Add(p.Requests)).Add(ResourceList.Of(("pods", claim.Pods.Count)));
                Assert.True(requests.FitsIn(type.Allocatable), $"{s}: {claim.Name} on {type.Name} needs {requests}, has {type.Allocatable}");
                var node = new Requirements([.. type.Requirements.All, .. pool.Requirements.All,
                    Requirement.In(WellKnownLabels.Zone, option.Zone), Requirement.In(WellKnownLabels.CapacityType, option.CapacityType)]);
                Assert.All(claim.Pods, pod => Assert.True(
                    Toleration.ToleratesAll(pod.Tolerations, pool.Taints) && pod.NodeRequirements.Any(r => Requirements.Conflict(r, node, _ => false) is null),
                    $"{s}: {pod.Id} cannot run on {claim.Name} as {option.InstanceType} in {option.Zone}"));
            }
        }

        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Repack_LimitsKeptByTheCheapestOptionsAndByAnySingleFallback() => Check(s =>
    {
        var (_, plan) = Both(s);
        PlanChecks.LimitsKept(s, plan);
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Repack_EveryClaimKeepsItsPoolsMinValues() => Properties.Check(100, [], seed =>
    {
        var s = PackingScenario.Create(seed, withTopology: true, minValues: true);
        var (greedy, plan) = Both(s);
        foreach (var claim in plan.NodeClaims)
        {
            var pool = s.Pools.Single(p => p.Name == claim.NodePool);
            var families = claim.Options.Select(o => pool.InstanceTypes.Single(t => t.Name == o.InstanceType).Labels[WellKnownLabels.InstanceFamily]).Distinct().Count();
            Assert.True(families >= 2, $"{s}: {claim.Name} keeps {families} instance family among its options, the pool's minValues is 2");
        }

        // Nor does minValues cost the re-pack a pod: it leaves no more without a place than the greedy solve.
        Assert.True(plan.Unplaced.Count <= greedy.Unplaced.Count, $"{s}: re-pack left {plan.Unplaced.Count} unplaced, greedy {greedy.Unplaced.Count}");
        return true;
    });

    [Fact]
    public void Repack_PodsWithTopologyStayWhereTheGreedyPlanPutThem() => Check(s =>
    {
        var (greedy, improved) = Both(s);
        var constrained = s.Pods.Where(p => p.TopologySpread.Count > 0 || p.Affinity.Count > 0 || p.AntiAffinity.Count > 0).Select(p => p.Id).ToHashSet();
        var before = greedy.Placements.Where(p => constrained.Contains(p.Pod.Id)).Select(p => (p.Pod.Id, p.Target)).Order();
        var after = improved.Placements.Where(p => constrained.Contains(p.Pod.Id)).Select(p => (p.Pod.Id, p.Target)).Order();
        Assert.Equal(before, after);
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Repack_SameInputAndSeed_SamePlan() => Check(s =>
    {
        static string Describe(Plan plan) => string.Join(";", plan.NodeClaims.Select(c => $"{c.Name}:{c.Cheapest}:{string.Join(",", c.Pods.Select(p => p.Id))}"))
            + "|" + string.Join(",", plan.Unplaced.Select(u => u.Pod.Id));
        return Describe(s.Solve()) == Describe(s.Solve());
    }, limits: true, topology: false);
}
