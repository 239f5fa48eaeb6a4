using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using static Platform.Autoscaler.Core.Tests.TestKit.Fake;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static readonly Requirement OnDemandOnly = Requirement.In(WellKnownLabels.CapacityType, WellKnownLabels.CapacityTypes.OnDemand);

    [Fact]
    public void Solve_OnePod_CheapestFittingTypeFirstAndEveryOptionListed()
    {
        var plan = Solve([Pod("web", 500, 1)], Pool("general", requirements: [OnDemandOnly]));
        var claim = Assert.Single(plan.NodeClaims);
        Assert.Equal("m5.large", claim.Options[0].InstanceType);
        Assert.Equal(0.096, claim.Price, 6);
        Assert.True(claim.Options.Select(o => o.Price).SequenceEqual(claim.Options.Select(o => o.Price).Order()));
        Assert.All(claim.Options, o => Assert.Equal("on-demand", o.CapacityType));
        Assert.Contains("m5.4xlarge", claim.InstanceTypes);
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Solve_SpotAllowed_PrefersSpot()
    {
        var plan = Solve([Pod("web")], Pool("general"));
        Assert.Equal("spot", plan.NodeClaims[0].Options[0].CapacityType);
    }

    [Fact]
    public void Solve_ManySmallPods_PackedDensely()
    {
        var plan = Solve(Pods("web", 30, 500, 1), Pool("general", requirements: [OnDemandOnly]));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(30, plan.NodeClaims.Sum(c => c.Pods.Count));
        // 15 vCPU and 30 GiB of requests fit two m5.4xlarge-class nodes' worth of capacity at most.
        Assert.True(plan.HourlyCost <= 0.768 * 2 + 1e-9, $"cost {plan.HourlyCost}");
    }

    [Fact]
    public void Solve_OneGpuPods_BuySmallGpuNodesNotOneBigNode()
    {
        var plan = Solve(Pods("infer", 8, 1000, 4, gpus: 1), Pool("gpu", taints: [GpuTaint], requirements: [OnDemandOnly]));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(8, plan.NodeClaims.Count);
        Assert.All(plan.NodeClaims, c => Assert.Equal("g4dn.xlarge", c.Options[0].InstanceType));
        Assert.Equal(8 * 0.526, plan.HourlyCost, 6);
    }

    [Fact]
    public void Solve_PackClaims_PodsShareOneClaimWhileAnOptionHoldsThem()
    {
        var input = new SchedulingInput([.. Pods("infer", 8, 1000, 4, gpus: 1)], [], [Pool("gpu", taints: [GpuTaint], requirements: [OnDemandOnly])], PackClaims: true);
        var claim = Assert.Single(Scheduler.Solve(input).NodeClaims);
        Assert.Equal(8, claim.Pods.Count);
        Assert.Equal("g5.48xlarge", claim.Options[0].InstanceType);
    }

    [Fact]
    public void Solve_PodWithoutToleration_ReasonNamesTheTaint()
    {
        var pod = Pod("cpu-job") with { Tolerations = [] };
        var plan = Solve([pod], Pool("gpu", taints: [GpuTaint]));
        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Contains("gpu: does not tolerate taint nvidia.com/gpu=true:NoSchedule", unplaced.Reasons);
    }

    [Fact]
    public void Solve_SpotOnlyPodOnOnDemandPool_ReasonNamesRequirementAndPool()
    {
        var pod = Pod("batch") with { NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.CapacityType, "spot")])] };
        var plan = Solve([pod], Pool("gpu-training", requirements: [OnDemandOnly]));
        var reason = Assert.Single(Assert.Single(plan.Unplaced).Reasons);
        Assert.Equal("gpu-training: requires karpenter.sh/capacity-type In [spot], nodepool allows karpenter.sh/capacity-type In [on-demand]", reason);
    }

    [Fact]
    public void Solve_TooBigForAnyType_ReasonNamesResource()
    {
        var plan = Solve([Pod("huge", 500, 1, gpus: 16)], Pool("gpu", taints: [GpuTaint]));
        Assert.Contains("gpu: no instance type has enough nvidia.com/gpu: needs 16 with daemonsets, largest allocatable 8", Assert.Single(plan.Unplaced).Reasons);
    }

    [Fact]
    public void Solve_HigherWeightPoolFirst_LowerWeightWhenItCannot()
    {
        var spot = Pool("spot", weight: 100, requirements: [Requirement.In(WellKnownLabels.CapacityType, "spot")], limits: ResourceList.Of(("cpu", 4000)));
        var onDemand = Pool("on-demand", weight: 10, requirements: [OnDemandOnly]);
        var plan = Solve(Pods("web", 10, 1000, 2), spot, onDemand);
        Assert.Empty(plan.Unplaced);
        Assert.Contains(plan.NodeClaims, c => c.NodePool == "spot");
        Assert.Contains(plan.NodeClaims, c => c.NodePool == "on-demand");
        Assert.True(plan.NodeClaims.Where(c => c.NodePool == "spot").Sum(c => c.Pods.Count) >= 3);
    }

    [Fact]
    public void Solve_LimitReached_ReasonNamesLimit()
    {
        var pool = Pool("gpu", taints: [GpuTaint], limits: ResourceList.Of((WellKnownResources.NvidiaGpu, 2)));
        var plan = Solve(Pods("infer", 3, 1000, 4, gpus: 1), pool);
        Assert.Equal(2, plan.NodeClaims.Count);
        var reason = Assert.Single(Assert.Single(plan.Unplaced).Reasons);
        Assert.StartsWith("gpu: would exceed limit nvidia.com/gpu: limit 2, in use 2", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_ExistingNodeWithRoom_UsedBeforeBuying()
    {
        var node = new ClusterNode
        {
            Name = "node-1",
            Labels = new Dictionary<string, string> { [WellKnownLabels.Zone] = Zones[0], [WellKnownLabels.InstanceType] = "m5.xlarge" },
            Allocatable = ResourceList.Of(("cpu", 3800), ("memory", 14 * Gi), ("pods", 58)),
        };
        var plan = Solve(Pods("web", 3, 1000, 2), [node], Pool("general"));
        Assert.Empty(plan.NodeClaims);
        Assert.All(plan.Placements, p => Assert.Equal("node-1", p.Target));
    }

    [Fact]
    public void Solve_ZoneSpreadMaxSkewOne_OneClaimPerZone()
    {
        var selector = LabelSelector.Of(("app", "web"));
        var pods = Pods("web", 3, 1000, 2).Select(p => p with { TopologySpread = [new TopologySpread(WellKnownLabels.Zone, 1, true, selector)] });
        var plan = Solve(pods, Pool("general"));
        Assert.Empty(plan.Unplaced);
        var zones = plan.NodeClaims.Select(c => c.Requirements.Get(WellKnownLabels.Zone)!.Values.Single()).ToList();
        Assert.Equal(Zones.Order(), zones.Order());
    }

    [Fact]
    public void Solve_HostnameAntiAffinity_OneNodePerPod()
    {
        var selector = LabelSelector.Of(("app", "db"));
        var pods = Pods("db", 4, 250, 1).Select(p => p with { AntiAffinity = [new PodAffinityTerm(WellKnownLabels.Hostname, selector, [])] });
        var plan = Solve(pods, Pool("general"));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(4, plan.NodeClaims.Count);
        Assert.All(plan.NodeClaims, c => Assert.Single(c.Pods));
    }

    [Fact]
    public void Solve_ZonePodAffinity_FollowersJoinTheFirstPodsZone()
    {
        var selector = LabelSelector.Of(("app", "cache"));
        var pods = Pods("cache", 6, 12000, 40).Select(p => p with { Affinity = [new PodAffinityTerm(WellKnownLabels.Zone, selector, [])] });
        var plan = Solve(pods, Pool("general"));
        Assert.Empty(plan.Unplaced);
        var zones = plan.NodeClaims.Select(c => c.Requirements.Get(WellKnownLabels.Zone)?.Values.SingleOrDefault()).Distinct().ToList();
        Assert.True(plan.NodeClaims.Count > 1);
        Assert.Single(zones);
        Assert.NotNull(zones[0]);
    }

    [Fact]
    public void Solve_UnsatisfiablePreference_Relaxed()
    {
        var pod = Pod("web") with
        {
            PreferredNodeTerms = [new PreferredNodeTerm(50, new Requirements([Requirement.In(WellKnownLabels.InstanceFamily, "x9")]))],
        };
        var plan = Solve([pod], Pool("general"));
        Assert.Empty(plan.Unplaced);
        Assert.Single(plan.NodeClaims);
    }

    [Fact]
    public void Solve_SatisfiablePreference_Honoured()
    {
        var pod = Pod("web") with
        {
            PreferredNodeTerms = [new PreferredNodeTerm(50, new Requirements([Requirement.In(WellKnownLabels.InstanceFamily, "g5")]))],
            Tolerations = [GpuToleration],
        };
        var plan = Solve([pod], Pool("general"));
        Assert.All(plan.NodeClaims[0].Options, o => Assert.StartsWith("g5.", o.InstanceType, StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_SecondRequiredTerm_UsedWhenFirstImpossible()
    {
        var pod = Pod("web") with
        {
            NodeRequirements =
            [
                new Requirements([Requirement.In(WellKnownLabels.InstanceFamily, "x9")]),
                new Requirements([Requirement.In(WellKnownLabels.InstanceFamily, "m5")]),
            ],
        };
        var plan = Solve([pod], Pool("general"));
        Assert.Empty(plan.Unplaced);
        Assert.All(plan.NodeClaims[0].Options, o => Assert.StartsWith("m5.", o.InstanceType, StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_MinValues_KeepsEnoughFamiliesOrRefuses()
    {
        var flexible = Pool("gpu", taints: [GpuTaint], requirements: [Requirement.From(WellKnownLabels.InstanceFamily, Operators.In, ["g4dn", "g5"], minValues: 2)]);
        var plan = Solve([Pod("infer", 1000, 4, gpus: 1)], flexible);
        Assert.Equal(["g4dn", "g5"], plan.NodeClaims[0].InstanceTypes.Select(t => t.Split('.')[0]).Distinct().Order());

        var strict = Pool("gpu", taints: [GpuTaint], requirements: [Requirement.From(WellKnownLabels.InstanceFamily, Operators.In, ["g4dn", "g5", "p4d"], minValues: 3)]);
        var refused = Solve([Pod("infer", 1000, 4, gpus: 5)], strict);
        Assert.Contains("minValues 3", Assert.Single(Assert.Single(refused.Unplaced).Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_LimitsAndMinValues_ALaterClaimMayNotLeaveAnEarlierOneOneFamily()
    {
        // The first claim may launch a c5.large, a c5.xlarge or an m5.xlarge: two families. A second claim holding a
        // 4-vCPU node would leave the first only 3 vCPU of the limit, so only its c5.large: one family. The pod that
        // needs it stays unplaced rather than break either the limit or minValues.
        var types = new[] { Info("c5.large", 2, 4, 0.085), Info("c5.xlarge", 4, 8, 0.17), Info("m5.xlarge", 4, 16, 0.192) }.Select(i => InstanceTypeResolver.Resolve(i)).ToList();
        var pool = Pool("general", limits: ResourceList.Of(("cpu", 7000)), types: types, requirements:
            [OnDemandOnly, Requirement.From(WellKnownLabels.InstanceFamily, Operators.In, ["c5", "m5"], minValues: 2)]);
        var small = new Pod { Namespace = "default", Name = "small", Requests = ResourceList.Of(("cpu", 1500), ("memory", 1 * Gi)) };
        var tall = new Pod { Namespace = "default", Name = "tall", Requests = ResourceList.Of(("cpu", 1000), ("memory", 6 * Gi)) };

        var plan = Scheduler.Solve(new SchedulingInput([small, tall], [], [pool], Packing: PackingOptions.Greedy));

        var claim = Assert.Single(plan.NodeClaims);
        Assert.Equal(["small"], claim.Pods.Select(p => p.Name));
        Assert.Equal(["c5", "m5"], claim.InstanceTypes.Select(t => t.Split('.')[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains("too few instance types within the limits for its minValues", Assert.Single(plan.Unplaced).Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_DaemonOverhead_CountedOnEveryNewNode()
    {
        var pool = Pool("general", requirements: [OnDemandOnly], daemons: ResourceList.Of(("cpu", 1500)));
        var plan = Solve([Pod("web", 500, 1)], pool);
        Assert.NotEqual("m5.large", plan.NodeClaims[0].Options[0].InstanceType);
        Assert.Equal(2000, plan.NodeClaims[0].Requests["cpu"]);
    }

    [Fact]
    public void Solve_SameInput_SamePlan()
    {
        var pods = Pods("web", 40, 700, 3).Concat(Pods("infer", 5, 1000, 4, gpus: 1)).ToList();
        var pools = new[] { Pool("gpu", 50, taints: [GpuTaint]), Pool("general", 10) };
        var a = Scheduler.Solve(new SchedulingInput(pods, [], pools));
        var b = Scheduler.Solve(new SchedulingInput(pods, [], pools));
        Assert.Equal(a.NodeClaims.Select(c => (c.Name, c.Price, c.Pods.Count)), b.NodeClaims.Select(c => (c.Name, c.Price, c.Pods.Count)));
    }
}
