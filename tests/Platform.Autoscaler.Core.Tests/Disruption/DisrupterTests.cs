using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Core.Tests.TestKit.Cluster;

namespace Platform.Autoscaler.Core.Tests.Disruption;

public sealed class DisrupterTests
{
    private static IEnumerable<Pod> Web(string node, int count, long cpu = 500, long memoryGiB = 1) => Fake.Pods($"{node}-web", count, cpu, memoryGiB);

    [Fact]
    public void Decide_EmptyNodePastConsolidateAfter_Deleted()
    {
        var decision = Disrupter.Decide(Input([Node("empty", "m5.large", []), Node("busy", "m5.xlarge", Web("busy", 2))]));
        var command = Assert.Single(decision.Commands);
        Assert.Equal("Emptiness", command.Method);
        Assert.Equal("empty", Assert.Single(command.Candidates).Name);
        Assert.False(command.IsReplace);
    }

    [Fact]
    public void Decide_EmptyNodeStillWithinConsolidateAfter_Kept()
    {
        var decision = Disrupter.Decide(Input([Node("empty", "m5.large", [], idle: TimeSpan.FromMinutes(1))]));
        Assert.Empty(decision.Commands);
        Assert.Contains(decision.Explanation, l => l.Contains("waiting for consolidateAfter", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_ZeroNodeBudget_NothingDisrupted()
    {
        var input = Input([Node("empty", "m5.large", [])], Policy(budgets: new Budget { Nodes = "0" }));
        Assert.Empty(Disrupter.Decide(input).Commands);
    }

    [Fact]
    public void Decide_OneNodeBudget_OnlyOneEmptyNodeGoes()
    {
        var input = Input([Node("e1", "m5.large", []), Node("e2", "m5.large", []), Node("e3", "m5.large", [])], Policy(budgets: new Budget { Nodes = "1" }));
        Assert.Single(Disrupter.Decide(input).Commands);
    }

    [Fact]
    public void Decide_BusinessHoursBudgetActive_Blocks()
    {
        var businessHours = new Budget { Nodes = "0", Schedule = "0 1 * * *", Duration = "8h" };
        var input = Input([Node("empty", "m5.large", [])], Policy(budgets: [businessHours, new Budget { Nodes = "100%" }]));
        Assert.Empty(Disrupter.Decide(input).Commands); // 03:00 is inside 01:00 + 8h
        var outside = input with { Now = Now.AddHours(8) };
        Assert.Single(Disrupter.Decide(outside).Commands);
    }

    [Fact]
    public void Decide_BudgetForOtherReason_DoesNotBlock()
    {
        var input = Input([Node("empty", "m5.large", [])], Policy(budgets: [new Budget { Nodes = "0", Reasons = ["Drifted"] }, new Budget { Nodes = "100%" }]));
        Assert.Single(Disrupter.Decide(input).Commands);
    }

    [Fact]
    public void Decide_PodWithDoNotDisrupt_NodeNotCandidate()
    {
        var pods = Web("big", 1).Select(p => p with { DoNotDisrupt = true });
        var decision = Disrupter.Decide(Input([Node("big", "m5.4xlarge", pods), Node("other", "m5.xlarge", [])]));
        Assert.DoesNotContain(decision.Commands, c => c.Candidates.Any(n => n.Name == "big"));
        Assert.Contains(decision.Explanation, l => l.StartsWith("big: not a candidate: pod", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_NodeWithDoNotDisrupt_NotCandidate()
    {
        var decision = Disrupter.Decide(Input([Node("empty", "m5.large", [], doNotDisrupt: true)]));
        Assert.Empty(decision.Commands);
    }

    [Fact]
    public void Decide_NodeNominatedForAPendingPod_NotCandidate()
    {
        var decision = Disrupter.Decide(Input([Node("empty", "m5.large", []) with { Nominated = true }]));
        Assert.Empty(decision.Commands);
        Assert.Contains("empty: not a candidate: nominated for a pending pod", decision.Explanation);
    }

    [Fact]
    public void Decide_PdbAllowsNoDisruption_NodeKept()
    {
        var pods = Web("big", 2);
        var pdb = new PodDisruptionBudget("default", "web", LabelSelector.Of(("app", "big-web")), 0);
        var decision = Disrupter.Decide(Input([Node("big", "m5.4xlarge", pods)], pdbs: [pdb]));
        Assert.Empty(decision.Commands);
        Assert.Contains(decision.Explanation, l => l.Contains("PodDisruptionBudget default/web allows 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_OversizedNode_ReplacedByCheaperOne()
    {
        var decision = Disrupter.Decide(Input([Node("big", "m5.4xlarge", Web("big", 2))]));
        var command = Assert.Single(decision.Commands);
        Assert.Equal("SingleNodeConsolidation", command.Method);
        Assert.True(command.IsReplace);
        Assert.Equal("m5.large", command.Replacements[0].Cheapest.InstanceType);
        Assert.Equal(0.768 - 0.096, command.Savings, 6);
    }

    [Fact]
    public void Decide_PodsFitOnOtherNodes_SeveralNodesDeletedAtOnce()
    {
        var nodes = new[]
        {
            Node("a", "m5.xlarge", Web("a", 1)),
            Node("b", "m5.xlarge", Web("b", 1)),
            Node("c", "m5.xlarge", Web("c", 1)),
            Node("d", "m5.4xlarge", Web("d", 10)),
        };
        var decision = Disrupter.Decide(Input(nodes));
        var command = Assert.Single(decision.Commands);
        Assert.Equal("MultiNodeConsolidation", command.Method);
        Assert.True(command.Candidates.Count >= 2);
        Assert.True(command.Savings > 0);
    }

    /// <summary>A type four times the size of the other for three times the price, on-demand and spot.</summary>
    private static readonly IReadOnlyList<InstanceType> TwoSizes =
        [.. new[] { Fake.Info("c.large", 2, 4, 0.10, spot: 0.05), Fake.Info("c.2xlarge", 8, 16, 0.30, spot: 0.15) }.Select(i => InstanceTypeResolver.Resolve(i))];

    [Fact]
    public void Decide_SmallNodesDearerPerCpu_MergedOntoOneBiggerNode()
    {
        // Four small nodes whose pods fit nowhere else.
        var types = TwoSizes;
        var pool = Fake.Pool("general", requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand")], types: types);
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}", "c.large", [Fake.Pod($"n{i}-web", 1500)], types: types));

        var command = Assert.Single(Disrupter.Decide(Input(nodes, pool: pool)).Commands);

        Assert.Equal("MultiNodeConsolidation", command.Method);
        Assert.Equal(4, command.Candidates.Count);
        Assert.Equal("c.2xlarge", Assert.Single(command.Replacements).Cheapest.InstanceType);
        Assert.Equal(0.10, command.Savings, 6);
    }

    [Fact]
    public void Decide_SpotNodesMergedOntoOneSpotNode_NeedsNoFifteenCheaperTypes()
    {
        var pool = Fake.Pool("general", types: TwoSizes);
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}", "c.large", [Fake.Pod($"n{i}-web", 1500)], capacity: "spot", types: TwoSizes));

        var command = Assert.Single(Disrupter.Decide(Input(nodes, pool: pool)).Commands);

        Assert.Equal("MultiNodeConsolidation", command.Method);
        var replacement = Assert.Single(command.Replacements);
        Assert.Equal(("c.2xlarge", "spot"), (replacement.Cheapest.InstanceType, replacement.Cheapest.CapacityType));
    }

    [Fact]
    public void Decide_SpotMergeWhereOneNodeAloneCostsTheReplacement_IsASwapAndNeedsFifteenCheaperTypes()
    {
        // Merging big and small onto a new c.2xlarge would only swap big for the same spot price: not allowed. The
        // small node's pod fits on big instead.
        var pool = Fake.Pool("general", types: TwoSizes);
        var nodes = new[]
        {
            Node("big", "c.2xlarge", [Fake.Pod("big-web", 1500)], capacity: "spot", types: TwoSizes),
            Node("small", "c.large", [Fake.Pod("small-web", 1500)], capacity: "spot", types: TwoSizes),
        };

        var decision = Disrupter.Decide(Input(nodes, pool: pool));

        var command = Assert.Single(decision.Commands);
        Assert.Equal(("SingleNodeConsolidation", "small"), (command.Method, Assert.Single(command.Candidates).Name));
        Assert.False(command.IsReplace);
        Assert.Contains(decision.Explanation, l => l.StartsWith("big: kept: spot-to-spot replacement has 1 cheaper", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_Replacement_LaunchesOnlyOptionsCheaperThanTheNodeItReplaces()
    {
        var command = Assert.Single(Disrupter.Decide(Input([Node("big", "m5.2xlarge", Web("big", 2))])).Commands);
        var replacement = Assert.Single(command.Replacements);
        Assert.All(replacement.Options, o => Assert.True(o.Price < 0.384, $"{o} is not cheaper than m5.2xlarge"));
        Assert.Equal(["m5.large", "m5.xlarge"], replacement.InstanceTypes);
    }

    [Fact]
    public void Decide_WhenEmptyPolicy_UnderusedNodeKept()
    {
        var decision = Disrupter.Decide(Input([Node("big", "m5.4xlarge", Web("big", 2))], Policy(policy: ConsolidationPolicies.WhenEmpty)));
        Assert.Empty(decision.Commands);
    }

    [Fact]
    public void Decide_ConsolidateAfterNever_NothingConsolidated()
    {
        var decision = Disrupter.Decide(Input([Node("empty", "m5.large", [])], Policy(consolidateAfter: "Never")));
        Assert.Empty(decision.Commands);
    }

    [Fact]
    public void Decide_DriftedNode_ReplacedEvenIfNotCheaper()
    {
        var decision = Disrupter.Decide(Input([Node("old", "m5.large", Web("old", 2), drifted: true)]));
        var command = Assert.Single(decision.Commands);
        Assert.Equal("Drift", command.Method);
        Assert.True(command.IsReplace);
    }

    [Fact]
    public void Decide_DriftedNodeOfFourPods_ReplacedByTheRePackedClaim()
    {
        // Four 1.5-vCPU pods: the greedy solve gives each an m5.large ($0.40/h in all), since growing one claim to an
        // m5.2xlarge costs more than a node of its own; the re-pack puts all four on one m5.2xlarge ($0.25/h).
        var types = new[] { Fake.Info("m5.large", 2, 8, 0.10), Fake.Info("m5.2xlarge", 8, 32, 0.25) }.Select(i => InstanceTypeResolver.Resolve(i)).ToList();
        var pool = Fake.Pool("general", requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand")], types: types);
        var drifted = Node("old", "m5.2xlarge", Web("old", 4, cpu: 1500), drifted: true, types: types);

        var command = Assert.Single(Disrupter.Decide(Input([drifted], pool: pool)).Commands);

        Assert.Equal("Drift", command.Method);
        var replacement = Assert.Single(command.Replacements);
        Assert.Equal("m5.2xlarge", replacement.Cheapest.InstanceType);
        Assert.Equal(4, replacement.Pods.Count);
    }

    [Fact]
    public void Decide_ExpiredNode_ReplacedFirst()
    {
        var nodes = new[] { Node("old", "m5.large", Web("old", 2), age: TimeSpan.FromDays(31)), Node("empty", "m5.large", []) };
        var command = Assert.Single(Disrupter.Decide(Input(nodes)).Commands);
        Assert.Equal("Expiration", command.Method);
        Assert.Equal("old", command.Candidates[0].Name);
    }

    [Fact]
    public void Decide_PodsWithNowhereToGo_NodeKept()
    {
        var pool = Fake.Pool("general", requirements: [Requirement.In(WellKnownLabels.InstanceFamily, "x9")]);
        var decision = Disrupter.Decide(Input([Node("old", "m5.large", Web("old", 2), drifted: true)], pool: pool));
        Assert.Empty(decision.Commands);
        Assert.Contains(decision.Explanation, l => l.StartsWith("old: drifted but kept: pod", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_SpotNodeWithFewCheaperSpotTypes_NotReplacedSpotToSpot()
    {
        var pool = Fake.Pool("general");
        var decision = Disrupter.Decide(Input([Node("spot", "m5.4xlarge", Web("spot", 2), capacity: "spot")], pool: pool));
        Assert.DoesNotContain(decision.Commands, c => c.IsReplace && c.Replacements[0].Cheapest.CapacityType == "spot");
        Assert.Contains(decision.Explanation, l => l.Contains("spot-to-spot replacement has", StringComparison.Ordinal));
    }
}
