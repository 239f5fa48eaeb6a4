using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

/// <summary>Invariants of packing over random batches. A failure prints the seed that replays it.</summary>
public sealed class SchedulerProperties
{
    private static void Check(Func<RandomScenario, bool> property, bool limits, bool topology) =>
        Properties.Check(150, [], seed => property(RandomScenario.Create(seed, limits, topology)));

    [Fact]
    public void EveryClaim_ItsCheapestOptionHoldsItsPodsAndTheyTolerateAndMatchIt() => Check(s =>
    {
        var plan = s.Solve();
        foreach (var claim in plan.NodeClaims)
        {
            var pool = s.Pools.Single(p => p.Name == claim.NodePool);
            var type = pool.InstanceTypes.Single(t => t.Name == claim.Options[0].InstanceType);
            var requests = claim.Pods.Aggregate(pool.DaemonOverhead, (sum, p) => sum.Add(p.Requests));
            Assert.True(requests.FitsIn(type.Allocatable), $"{s}: {claim.Name} on {type.Name} needs {requests}, has {type.Allocatable}");
            foreach (var pod in claim.Pods)
            {
                Assert.True(Toleration.ToleratesAll(pod.Tolerations, pool.Taints), $"{s}: {pod.Id} does not tolerate {claim.NodePool}");
                var node = new Requirements([.. type.Requirements.All, .. pool.Requirements.All,
                    Requirement.In(WellKnownLabels.Zone, claim.Options[0].Zone), Requirement.In(WellKnownLabels.CapacityType, claim.Options[0].CapacityType)]);
                Assert.True(pod.NodeRequirements.Any(r => Requirements.Conflict(r, node, _ => false) is null), $"{s}: {pod.Id} cannot run on {claim.Name}");
            }
        }

        return true;
    }, limits: true, topology: true);

    [Fact]
    public void Limits_NeverExceededByTheCheapestOptionsNorByAnySingleFallback() => Check(s =>
    {
        var plan = s.Solve();
        PlanChecks.LimitsKept(s, plan);
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void WithoutLimitsOrTopology_EveryPodThatFitsSomeOfferingIsPlaced() => Check(s =>
    {
        var plan = s.Solve();
        foreach (var unplaced in plan.Unplaced)
        {
            var fitsSomewhere = s.Pools.Any(pool =>
                Toleration.ToleratesAll(unplaced.Pod.Tolerations, pool.Taints)
                && pool.InstanceTypes.Any(t =>
                    unplaced.Pod.Requests.Add(pool.DaemonOverhead).Add(Resources.ResourceList.Of(("pods", 1))).FitsIn(t.Allocatable)
                    && unplaced.Pod.NodeRequirements.Any(r => Requirements.Conflict(r, t.Requirements.Intersect(pool.Requirements), _ => false) is null)));
            Assert.False(fitsSomewhere, $"{s}: {unplaced.Pod.Id} fits somewhere but was left out: {string.Join("; ", unplaced.Reasons)}");
        }

        return true;
    }, limits: false, topology: false);

    [Fact]
    public void EveryPod_PlacedExactlyOnceOrReportedUnplaced() => Check(s =>
    {
        var plan = s.Solve();
        var placed = plan.Placements.Select(p => p.Pod.Id).ToList();
        Assert.Equal(placed.Count, placed.Distinct().Count());
        Assert.Equal(s.Pods.Select(p => p.Id).Order(), placed.Concat(plan.Unplaced.Select(u => u.Pod.Id)).Order());
        Assert.All(plan.Unplaced, u => Assert.NotEmpty(u.Reasons));
        return true;
    }, limits: true, topology: true);

    [Fact]
    public void HostnameAntiAffinity_NeverTwoMatchingPodsOnOneClaim() => Check(s =>
    {
        var plan = s.Solve();
        foreach (var claim in plan.NodeClaims)
        {
            foreach (var pod in claim.Pods)
            {
                foreach (var term in pod.AntiAffinity.Where(t => t.TopologyKey == WellKnownLabels.Hostname))
                {
                    Assert.True(claim.Pods.Count(o => o != pod && term.Selector.Matches(o.Labels)) == 0, $"{s}: {pod.Id} shares {claim.Name} with a pod it repels");
                }
            }
        }

        return true;
    }, limits: false, topology: true);

    [Fact]
    public void PlanCost_NeverBelowTheLinearProgrammingLowerBound() => Check(s =>
    {
        var plan = s.Solve();
        var placed = plan.NodeClaims.SelectMany(c => c.Pods).ToList();
        var (bound, unplaceable) = CostLowerBound.Compute(placed, s.Pools);
        Assert.Equal(0, unplaceable);
        Assert.True(plan.HourlyCost >= bound - 1e-6, $"{s}: plan {plan.HourlyCost} below bound {bound}");
        return true;
    }, limits: false, topology: false);

    [Fact]
    public void SameSeed_SamePlan() => Check(s =>
    {
        var a = s.Solve();
        var b = s.Solve();
        return a.NodeClaims.Select(c => $"{c.Name}:{c.Price}:{string.Join(",", c.Pods.Select(p => p.Id))}")
            .SequenceEqual(b.NodeClaims.Select(c => $"{c.Name}:{c.Price}:{string.Join(",", c.Pods.Select(p => p.Id))}"));
    }, limits: true, topology: true);
}
