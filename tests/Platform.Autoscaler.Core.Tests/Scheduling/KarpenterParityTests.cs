using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using static Platform.Autoscaler.Core.Tests.TestKit.Fake;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

/// <summary>
/// Karpenter's own scheduling tests, translated: each is named after the Karpenter test it comes from, with the file
/// and context it is in (kubernetes-sigs/karpenter, pkg/controllers/provisioning/...). Karpenter's fake zones
/// test-zone-1..3 are test-zone-a..c here, and its fake instance types are the fake catalog's.
/// </summary>
public sealed class KarpenterParityTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["test"] = "test" };
    private static readonly LabelSelector Selector = LabelSelector.Of(("test", "test"));

    private static Pod Labelled(string name) => Pod(name, labels: Labels);

    private static IEnumerable<Pod> Labelled(string prefix, int count) => Pods(prefix, count, labels: Labels);

    private static Requirements Zones(params string[] zones) => new([Requirement.In(WellKnownLabels.Zone, zones)]);

    private static string? Domain(PlannedNodeClaim claim, string key) => claim.Requirements.Get(key) is { Complement: false, Values.Count: 1 } r ? r.Values.Single() : null;

    /// <summary>Karpenter's ExpectSkew: how many pods the selector matches in each domain of the key, over the plan's claims.</summary>
    private static List<int> Skew(Plan plan, string key, LabelSelector selector) =>
        [.. plan.NodeClaims.GroupBy(c => Domain(c, key) ?? throw new InvalidOperationException($"{c.Name} has no single {key}"))
            .Select(g => g.Sum(c => c.Pods.Count(p => selector.Matches(p.Labels))))
            .Where(n => n > 0)
            .Order()];

    private static TopologySpread Spread(string key, int? minDomains = null) => new(key, 1, true, Selector, minDomains);

    // ---- Preferred node affinity relaxes heaviest first, one term held at a time ----------------------------------

    // scheduling/suite_test.go, Describe "Preferential Fallback", Context "Preferred"
    // (the same test is in provisioning/suite_test.go).
    [Fact]
    public void ShouldRelaxToUseLighterWeights()
    {
        var pool = Pool("default", requirements: [Requirement.In(WellKnownLabels.Zone, "test-zone-a", "test-zone-b")]);
        var pod = Pod("p") with
        {
            PreferredNodeTerms =
            [
                new PreferredNodeTerm(100, new Requirements([Requirement.In(WellKnownLabels.InstanceType, "test-zone-c")])),
                new PreferredNodeTerm(50, Zones("test-zone-b")),
                new PreferredNodeTerm(1, Zones("test-zone-a")), // OR operator, never get to this one
            ],
        };
        var claim = Assert.Single(Solve([pod], pool).NodeClaims);
        Assert.Equal("test-zone-b", Domain(claim, WellKnownLabels.Zone));
        Assert.All(claim.Options, o => Assert.Equal("test-zone-b", o.Zone));
    }

    // scheduling/suite_test.go, Describe "Preferential Fallback", Context "Preferred"
    [Fact]
    public void ShouldScheduleEvenIfPreferenceIsConflictingWithRequirement()
    {
        var pod = Pod("p") with
        {
            NodeRequirements = [Zones("test-zone-c")],
            PreferredNodeTerms = [new PreferredNodeTerm(1, new Requirements([Requirement.NotIn(WellKnownLabels.Zone, "test-zone-c")]))],
        };
        var claim = Assert.Single(Solve([pod], Pool("default")).NodeClaims);
        Assert.Equal("test-zone-c", Domain(claim, WellKnownLabels.Zone));
    }

    // ---- Preferred node affinity does not narrow the domains a spread counts ---------------------------------------

    // scheduling/topology_test.go, Context "Combined Zonal Topology and Node Affinity"
    [Fact]
    public void ShouldNotLimitSpreadOptionsByPreferredNodeAffinity()
    {
        var pods = Labelled("p", 6).Select(p => p with
        {
            TopologySpread = [Spread(WellKnownLabels.Zone)],
            PreferredNodeTerms = [new PreferredNodeTerm(1, Zones("test-zone-a", "test-zone-b"))],
        });
        var plan = Solve(pods, Pool("default"));
        Assert.Empty(plan.Unplaced);
        // scheduling shouldn't be affected since it's a preferred affinity
        Assert.Equal([2, 2, 2], Skew(plan, WellKnownLabels.Zone, Selector));
    }

    // scheduling/topology_test.go, Context "Combined Zonal Topology and Node Affinity": required affinity does narrow.
    [Fact]
    public void ShouldLimitSpreadOptionsByNodeRequirements()
    {
        var pods = Labelled("p", 10).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Zone)], NodeRequirements = [Zones("test-zone-a", "test-zone-b")] });
        Assert.Equal([5, 5], Skew(Solve(pods, Pool("default")), WellKnownLabels.Zone, Selector));
    }

    // ---- Self-affinity bootstrap per pod, over the domains that pod can use ----------------------------------------

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity"
    [Fact]
    public void ShouldAllowTwoNodesToBeCreatedWhenTwoPodsWithMatchingAffinitiesHaveIncompatibleSelectors()
    {
        var affinity = new PodAffinityTerm(WellKnownLabels.Zone, LabelSelector.Of(("security", "s1")), []);
        var labels = new Dictionary<string, string> { ["security"] = "s1" };
        var pod1 = Pod("pod1", labels: labels) with { Affinity = [affinity], NodeRequirements = [Zones("test-zone-b")] };
        var pod2 = Pod("pod2", labels: labels) with { Affinity = [affinity], NodeRequirements = [Zones("test-zone-c")] };
        var plan = Solve([pod1, pod2], Pool("default"));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(2, plan.NodeClaims.Count);
        Assert.Equal("test-zone-b", Domain(plan.NodeClaims.Single(c => c.Pods.Contains(pod1)), WellKnownLabels.Zone));
        Assert.Equal("test-zone-c", Domain(plan.NodeClaims.Single(c => c.Pods.Contains(pod2)), WellKnownLabels.Zone));
    }

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity"
    [Fact]
    public void ShouldRespectSelfPodAffinityZoneWithConstraint()
    {
        var labels = new Dictionary<string, string> { ["security"] = "s2" };
        var pods = Pods("p", 3, labels: labels).Select(p => p with
        {
            Affinity = [new PodAffinityTerm(WellKnownLabels.Zone, LabelSelector.Of(("security", "s2")), [])],
            NodeRequirements = [Zones("test-zone-c")],
        });
        var claim = Assert.Single(Solve(pods, Pool("default")).NodeClaims);
        Assert.Equal(3, claim.Pods.Count);
        Assert.Equal("test-zone-c", Domain(claim, WellKnownLabels.Zone));
    }

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity": a match in a domain the pod cannot use still
    // counts for a hostname term, whose domains (nodes) the pod's zone requirement does not name.
    [Fact]
    public void ShouldRespectSelfPodAffinityForFirstEmptyTopologyDomainOnlyHostnameConstrainedZones()
    {
        var labels = new Dictionary<string, string> { ["security"] = "s2" };
        var affinity = new PodAffinityTerm(WellKnownLabels.Hostname, LabelSelector.Of(("security", "s2")), []);
        var first = Pod("first", labels: labels) with { Affinity = [affinity], NodeRequirements = [Zones("test-zone-a")] };
        var inFlight = new ClusterNode
        {
            Name = "in-flight-1",
            Labels = new Dictionary<string, string> { [WellKnownLabels.Zone] = "test-zone-a", [WellKnownLabels.Hostname] = "in-flight-1" },
            Allocatable = ResourceList.Of(("cpu", 3800), ("memory", 14 * Gi), ("pods", 58)),
            Pods = [first],
            InFlight = true,
        };
        var pods = Pods("p", 10, labels: labels).Select(p => p with { Affinity = [affinity], NodeRequirements = [Zones("test-zone-b", "test-zone-c")] });
        var plan = Solve(pods, [inFlight], Pool("default"));
        // none of this should schedule
        Assert.Empty(plan.NodeClaims);
        Assert.Equal(10, plan.Unplaced.Count);
    }

    // ---- PreferNoSchedule taints: avoided while another pool fits, tolerated last ------------------------------------

    // provisioning/suite_test.go, Describe "Provisioning", "should not match NodePool with PreferNoSchedule taint when other NodePool match"
    [Fact]
    public void ShouldNotMatchNodePoolWithPreferNoScheduleTaintWhenOtherNodePoolMatch()
    {
        var tainted = Pool("a-tainted", taints: [new Taint { Key = "foo", Value = "bar", Effect = TaintEffects.PreferNoSchedule }]);
        var claim = Assert.Single(Solve([Pod("p")], tainted, Pool("b-default")).NodeClaims);
        Assert.NotEqual("a-tainted", claim.NodePool);
    }

    // provisioning/suite_test.go, Context "Preferential Fallback"
    [Fact]
    public void ShouldToleratePreferNoScheduleTaintOnlyAfterTryingToRelaxAffinityTerms()
    {
        var tainted = Pool("default", taints: [new Taint { Key = "foo", Value = "bar", Effect = TaintEffects.PreferNoSchedule }]);
        var pod = Pod("p") with
        {
            PreferredNodeTerms =
            [
                new PreferredNodeTerm(1, Zones("invalid")),
                new PreferredNodeTerm(1, new Requirements([Requirement.In(WellKnownLabels.InstanceType, "invalid")])),
            ],
        };
        var claim = Assert.Single(Solve([pod], tainted).NodeClaims);
        Assert.Equal("default", claim.NodePool);
    }

    // The same rule where it decides something: the preference only the tainted pool meets is given up first.
    [Fact]
    public void Solve_PreferenceOnlyAPreferNoSchedulePoolMeets_PreferenceRelaxedBeforeTheTaint()
    {
        var tainted = Pool("a-tainted", weight: 100, requirements: [Requirement.In(WellKnownLabels.Zone, "test-zone-a")],
            taints: [new Taint { Key = "foo", Value = "bar", Effect = TaintEffects.PreferNoSchedule }]);
        var plain = Pool("b-default", requirements: [Requirement.In(WellKnownLabels.Zone, "test-zone-b", "test-zone-c")]);
        var pod = Pod("p") with { PreferredNodeTerms = [new PreferredNodeTerm(10, Zones("test-zone-a"))] };
        var claim = Assert.Single(Solve([pod], tainted, plain).NodeClaims);
        Assert.Equal("b-default", claim.NodePool);
    }

    // An existing node with a PreferNoSchedule taint is likewise used only once nothing else fits.
    [Fact]
    public void Solve_ExistingNodeWithPreferNoScheduleTaint_UsedOnlyWhenNoPoolFits()
    {
        var node = new ClusterNode
        {
            Name = "tainted-node",
            Labels = new Dictionary<string, string> { [WellKnownLabels.Zone] = "test-zone-a", [WellKnownLabels.Hostname] = "tainted-node" },
            Taints = [new Taint { Key = "foo", Value = "bar", Effect = TaintEffects.PreferNoSchedule }],
            Allocatable = ResourceList.Of(("cpu", 3800), ("memory", 14 * Gi), ("pods", 58)),
        };
        Assert.Single(Solve([Pod("p")], [node], Pool("default")).NodeClaims);
        var onlyTheNode = Solve([Pod("p")], [node]);
        Assert.Empty(onlyTheNode.NodeClaims);
        Assert.Equal("tainted-node", Assert.Single(onlyTheNode.Placements).Target);
    }

    // ---- minDomains ----------------------------------------------------------------------------------------------

    // scheduling/topology_test.go, Context "Zonal"
    [Fact]
    public void ShouldRespectMinDomainsConstraints()
    {
        var pool = Pool("default", requirements: [Requirement.In(WellKnownLabels.Zone, "test-zone-a", "test-zone-b")]);
        var pods = Labelled("p", 3).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Zone, minDomains: 3)] });
        var plan = Solve(pods, pool);
        Assert.Equal([1, 1], Skew(plan, WellKnownLabels.Zone, Selector));
        Assert.Single(plan.Unplaced);
    }

    // scheduling/topology_test.go, Context "Zonal"
    [Fact]
    public void SatisfiedMinDomainsConstraintsEqualShouldAllowExpectedPodScheduling()
    {
        var pool = Pool("default", requirements: [Requirement.In(WellKnownLabels.Zone, "test-zone-a", "test-zone-b", "test-zone-c")]);
        var pods = Labelled("p", 11).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Zone, minDomains: 3)] });
        var plan = Solve(pods, pool);
        Assert.Empty(plan.Unplaced);
        Assert.Equal([3, 4, 4], Skew(plan, WellKnownLabels.Zone, Selector));
    }

    // ---- namespaceSelector in pod affinity terms -----------------------------------------------------------------

    private static (Pod Target, Pod Follower, List<Pod> All) NamespaceScenario(string targetNamespace, IReadOnlyList<string> namespaces, LabelSelector? namespaceSelector)
    {
        var affLabels = new Dictionary<string, string> { ["security"] = "s2" };
        // creates 10 nodes due to topo spread
        var spread = Labelled("spread", 10).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Hostname)] });
        var target = Pod("aff-pod-1", labels: affLabels) with { Namespace = targetNamespace };
        var follower = Pod("aff-pod-2", labels: new Dictionary<string, string>()) with
        {
            Affinity = [new PodAffinityTerm(WellKnownLabels.Hostname, LabelSelector.Of(("security", "s2")), namespaces, NamespaceSelector: namespaceSelector)],
        };
        return (target, follower, [.. spread, target, follower]);
    }

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity"
    [Fact]
    public void ShouldFilterPodAffinityTopologiesByNamespaceNoMatchingPods()
    {
        var (target, follower, all) = NamespaceScenario("other-ns-no-match", [], null);
        var plan = Solve(all, Pool("default"));
        Assert.Contains(plan.Placements, p => p.Pod == target);
        Assert.Equal(follower, Assert.Single(plan.Unplaced).Pod);
    }

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity"
    [Fact]
    public void ShouldFilterPodAffinityTopologiesByNamespaceMatchingPodsNamespaceList()
    {
        var (target, follower, all) = NamespaceScenario("other-ns-list", ["other-ns-list"], null);
        var plan = Solve(all, Pool("default"));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(plan.Placements.Single(p => p.Pod == target).Target, plan.Placements.Single(p => p.Pod == follower).Target);
    }

    // scheduling/topology_test.go, Context "Pod Affinity/Anti-Affinity"
    [Fact]
    public void ShouldFilterPodAffinityTopologiesByNamespaceEmptyNamespaceSelector()
    {
        // select all pods in all namespaces since the selector is empty
        var (target, follower, all) = NamespaceScenario("empty-ns-selector", [], LabelSelector.Everything);
        var plan = Solve(all, Pool("default"));
        Assert.Empty(plan.Unplaced);
        Assert.Equal(plan.Placements.Single(p => p.Pod == target).Target, plan.Placements.Single(p => p.Pod == follower).Target);
    }

    // A namespaceSelector on labels matches the namespaces whose labels the input gives, and the name label on any.
    [Theory]
    [InlineData("team", "b", true)]
    [InlineData("team", "a", false)]
    [InlineData(WellKnownLabels.NamespaceName, "team-b", true)]
    public void Solve_NamespaceSelectorOnNamespaceLabels_MatchesOnlyTheSelectedNamespaces(string key, string value, bool follows)
    {
        var (target, follower, all) = NamespaceScenario("team-b", [], LabelSelector.Of((key, value)));
        var namespaces = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["team-a"] = new Dictionary<string, string> { ["team"] = "a" },
            ["team-b"] = new Dictionary<string, string> { ["team"] = "b" },
        };
        var plan = Scheduler.Solve(new SchedulingInput(all, [], [Pool("default")], NamespaceLabels: namespaces));
        Assert.Equal(follows, plan.Placements.Any(p => p.Pod == follower));
        if (follows)
        {
            Assert.Equal(plan.Placements.Single(p => p.Pod == target).Target, plan.Placements.Single(p => p.Pod == follower).Target);
        }
    }

    // ---- Topology spread on any label a NodePool defines ---------------------------------------------------------

    // scheduling/topology_test.go, Context "Combined Hostname and Zonal Topology"
    [Fact]
    public void ShouldBalancePodsAcrossNodePoolRequirements()
    {
        const string Key = "capacity.spread.4-1";
        var spot = Pool("spot", requirements: [Requirement.In(WellKnownLabels.CapacityType, "spot"), Requirement.In(Key, "2", "3", "4", "5")]);
        var onDemand = Pool("on-demand", requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand"), Requirement.In(Key, "1")]);
        var pods = Labelled("p", 20).Select(p => p with { TopologySpread = [Spread(Key)] });
        var plan = Solve(pods, spot, onDemand);
        Assert.Empty(plan.Unplaced);
        Assert.Equal([4, 4, 4, 4, 4], Skew(plan, Key, Selector));
        // due to the spread across nodePools, we've forced a 4:1 spot to on-demand spread
        Assert.Equal([4, 16], Skew(plan, WellKnownLabels.CapacityType, Selector));
    }

    // scheduling/topology_test.go, Context "CapacityType": the existing amd64 node is a domain the pool cannot add to.
    [Fact]
    public void ShouldBalancePodsAcrossArchNoConstraints()
    {
        var types = new[]
        {
            Info("m5.xlarge", 4, 16, 0.192),
            Info("m6g.xlarge", 4, 16, 0.154, arch: "arm64"),
        }.Select(i => InstanceTypeResolver.Resolve(i)).ToList();
        var node = new ClusterNode
        {
            Name = "amd64-node",
            Labels = new Dictionary<string, string> { [WellKnownLabels.Arch] = "amd64", [WellKnownLabels.Zone] = "test-zone-a", [WellKnownLabels.Hostname] = "amd64-node" },
            Allocatable = ResourceList.Of(("cpu", 1000), ("memory", 2 * Gi), ("pods", 10)),
            Pods = [Labelled("existing")],
        };
        // limit our nodePool to only creating arm64 nodes
        var pool = Pool("default", requirements: [Requirement.In(WellKnownLabels.Arch, "arm64")], types: types);
        var pods = Pods("p", 5, cpuMillis: 2000, labels: Labels).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Arch)] });
        var plan = Solve(pods, [node], pool);
        Assert.Equal(2, plan.NodeClaims.Sum(c => c.Pods.Count));
        Assert.All(plan.NodeClaims, c => Assert.Equal("arm64", Domain(c, WellKnownLabels.Arch)));
        Assert.Equal(3, plan.Unplaced.Count);
    }

    // A spread over a label the types carry narrows each claim's options to the types of its domain.
    [Fact]
    public void Solve_ArchSpreadOverAPoolOfBothArchitectures_EachClaimKeepsOnlyTypesOfItsArch()
    {
        var types = new[]
        {
            Info("m5.xlarge", 4, 16, 0.192),
            Info("m5.2xlarge", 4, 16, 0.384),
            Info("m6g.xlarge", 4, 16, 0.154, arch: "arm64"),
            Info("m6g.2xlarge", 4, 16, 0.308, arch: "arm64"),
        }.Select(i => InstanceTypeResolver.Resolve(i)).ToList();
        var pods = Pods("p", 4, cpuMillis: 3000, labels: Labels).Select(p => p with { TopologySpread = [Spread(WellKnownLabels.Arch)] });
        var plan = Solve(pods, Pool("default", types: types));
        Assert.Empty(plan.Unplaced);
        Assert.Equal([2, 2], Skew(plan, WellKnownLabels.Arch, Selector));
        foreach (var claim in plan.NodeClaims)
        {
            var arch = Domain(claim, WellKnownLabels.Arch);
            Assert.All(claim.InstanceTypes, t => Assert.Equal(arch, types.Single(i => i.Name == t).Labels[WellKnownLabels.Arch]));
        }
    }

    // kube-scheduler and Karpenter: a node without the spread's label is in no domain, so the pod may not go there.
    [Fact]
    public void Solve_SpreadOnALabelAnExistingNodeLacks_ThatNodeIsNotUsed()
    {
        const string Key = "capacity-spread";
        var node = new ClusterNode
        {
            Name = "unlabelled",
            Labels = new Dictionary<string, string> { [WellKnownLabels.Zone] = "test-zone-a", [WellKnownLabels.Hostname] = "unlabelled" },
            Allocatable = ResourceList.Of(("cpu", 3800), ("memory", 14 * Gi), ("pods", 58)),
        };
        var pool = Pool("default", requirements: [Requirement.In(Key, "1", "2", "3", "4", "5")]);
        var plan = Solve([Labelled("p") with { TopologySpread = [Spread(Key)] }], [node], pool);
        var claim = Assert.Single(plan.NodeClaims);
        Assert.NotNull(Domain(claim, Key));
        Assert.DoesNotContain(plan.Placements, p => p.Target == "unlabelled");
    }
}
