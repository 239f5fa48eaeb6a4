using FsCheck;
using FsCheck.Fluent;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Budgets;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Core.Tests.TestKit.Cluster;

namespace Platform.Autoscaler.Core.Tests.Disruption;

/// <summary>Safety invariants of disruption over random clusters; a failure names the seed that replays it.</summary>
public sealed class DisrupterProperties
{
    private static readonly string[] Types = ["m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge"];

    private sealed record Scenario(int Seed, DisruptionInput Input)
    {
        public override string ToString() => $"seed {Seed}";
    }

    private static Scenario Create(int seed)
    {
        var random = new Random(seed);
        var nodes = new List<NodeState>();
        for (var n = 0; n < random.Next(2, 12); n++)
        {
            var type = Types[random.Next(Types.Length)];
            var pods = Enumerable.Range(0, random.Next(0, 5)).Select(i => Fake.Pod($"n{n}-p{i}", random.Next(1, 8) * 250, random.Next(1, 4),
                labels: new Dictionary<string, string> { ["app"] = $"a{random.Next(3)}" }) with { DoNotDisrupt = random.Next(10) == 0 }).ToList();
            nodes.Add(Node($"n{n}", type, pods, age: TimeSpan.FromDays(random.Next(0, 40)), idle: TimeSpan.FromMinutes(random.Next(0, 20)),
                drifted: random.Next(6) == 0, doNotDisrupt: random.Next(12) == 0, capacity: random.Next(3) == 0 ? "spot" : "on-demand"));
        }

        Budget[] budgets = random.Next(3) switch
        {
            0 => [new Budget { Nodes = random.Next(0, 3).ToString(System.Globalization.CultureInfo.InvariantCulture) }],
            1 => [new Budget { Nodes = $"{random.Next(0, 101)}%" }, new Budget { Nodes = "0", Reasons = ["Drifted"] }],
            _ => [new Budget { Nodes = "1", Schedule = "0 1 * * *", Duration = "4h" }, new Budget { Nodes = "50%" }],
        };
        var pdbs = Enumerable.Range(0, random.Next(0, 3))
            .Select(i => new PodDisruptionBudget("default", $"pdb{i}", LabelSelector.Of(("app", $"a{i}")), random.Next(0, 3))).ToList();
        var policy = Policy(consolidateAfter: random.Next(4) == 0 ? "Never" : "5m", budgets: budgets);
        return new Scenario(seed, Input(nodes, policy, pdbs, Fake.Pool("general")));
    }

    private static void Check(Func<Scenario, DisruptionDecision, bool> property) =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed =>
        {
            var scenario = Create(seed);
            return property(scenario, Disrupter.Decide(scenario.Input));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Commands_NeverTouchDoNotDisrupt() => Check((s, d) =>
    {
        Assert.All(d.Commands.SelectMany(c => c.Candidates), n => Assert.False(n.DoNotDisrupt || n.Workload.Any(p => p.DoNotDisrupt), $"{s}: {n.Name}"));
        return true;
    });

    [Fact]
    public void Commands_StayWithinEveryActiveBudget() => Check((s, d) =>
    {
        var policy = s.Input.Policies["general"];
        foreach (var reason in d.Commands.Where(c => c.Reason != "Expired").Select(c => c.Reason).Distinct())
        {
            var allowed = DisruptionBudgets.Allowed(policy.Budgets, reason, s.Input.Nodes.Count, 0, s.Input.Now);
            var used = d.Commands.Where(c => c.Reason == reason).Sum(c => c.Candidates.Count);
            Assert.True(used <= allowed, $"{s}: {used} nodes disrupted for {reason}, budget {allowed}");
        }

        return true;
    });

    [Fact]
    public void Commands_StayWithinEveryPodDisruptionBudget() => Check((s, d) =>
    {
        var displaced = d.Commands.SelectMany(c => c.Candidates).SelectMany(n => n.Workload).ToList();
        foreach (var pdb in s.Input.Budgets)
        {
            Assert.True(displaced.Count(pdb.Covers) <= pdb.DisruptionsAllowed, $"{s}: {pdb.Name} allows {pdb.DisruptionsAllowed}");
        }

        return true;
    });

    [Fact]
    public void Commands_LeaveNoPodWithoutAPlace() => Check((s, d) =>
    {
        var gone = d.Commands.SelectMany(c => c.Candidates).Select(n => n.Name).ToHashSet();
        var pool = s.Input.Pools[0];
        var replacements = d.Commands.SelectMany(c => c.Replacements).Select(r => new ClusterNode
        {
            Name = r.Name + "-replacement",
            Labels = new Dictionary<string, string>(pool.InstanceTypes.Single(t => t.Name == r.Cheapest.InstanceType).Labels)
            {
                [WellKnownLabels.Zone] = r.Cheapest.Zone,
                [WellKnownLabels.CapacityType] = r.Cheapest.CapacityType,
            },
            Allocatable = pool.InstanceTypes.Single(t => t.Name == r.Cheapest.InstanceType).Allocatable.Subtract(pool.DaemonOverhead),
            InFlight = true,
        });
        var remaining = s.Input.Nodes.Where(n => !gone.Contains(n.Name)).Select(n => n.Node).Concat(replacements).ToList();
        var displaced = s.Input.Nodes.Where(n => gone.Contains(n.Name)).SelectMany(n => n.Workload).ToList();
        var plan = Scheduler.Solve(new SchedulingInput(displaced, remaining, [])); // no pools: existing capacity only
        Assert.True(plan.Unplaced.Count == 0, $"{s}: {string.Join(", ", plan.Unplaced.Select(u => u.Pod.Id))} would have nowhere to go");
        return true;
    });

    [Fact]
    public void Consolidation_NeverRaisesCost() => Check((s, d) =>
    {
        foreach (var command in d.Commands.Where(c => c.Reason is "Empty" or "Underutilized"))
        {
            Assert.True(command.Savings > 0, $"{s}: {command}");
            Assert.True(command.Replacements.Sum(r => r.Price) < command.Candidates.Sum(n => n.Price), $"{s}: {command}");
        }

        return true;
    });

    [Fact]
    public void Decide_SameInput_SameCommands() => Check((s, d) =>
        Disrupter.Decide(s.Input).Commands.Select(c => c.ToString()).SequenceEqual(d.Commands.Select(c => c.ToString())));
}
