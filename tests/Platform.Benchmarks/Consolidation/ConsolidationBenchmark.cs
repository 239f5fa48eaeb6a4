using System.Diagnostics;
using System.Text.Json;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Benchmarks.Scheduling;

namespace Platform.Benchmarks.Consolidation;

/// <summary>
/// Consolidates a fragmented 1,000-node cluster on the bundled catalog: decides, applies the commands to the
/// cluster (replacements join with their pods, moved pods land where the simulation put them), and repeats until
/// nothing is left to do. Prints the longest single decision, the rounds, the cost before and after, and the LP
/// lower bound on any placement of the same pods.
/// </summary>
internal static class ConsolidationBenchmark
{
    public const int Seed = 42;

    public static int Run(int nodeCount, bool json, TextWriter output)
    {
        var pools = GpuScenario.Pools(BundledCatalog.Load());
        var input = FragmentedCluster.Create(nodeCount, pools, new Random(Seed));
        var pods = input.Nodes.SelectMany(n => n.Workload).ToList();
        var costBefore = input.Nodes.Sum(n => n.Price);
        output.WriteLine($"Fragmented cluster: {input.Nodes.Count} nodes, {pods.Count} pods, ${costBefore:F2}/h, seed {Seed}");

        var longest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        var rounds = 0;
        var commands = 0;
        while (rounds < 200)
        {
            var watch = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1.9));
            var decision = Disrupter.Decide(input, deadline.Token);
            watch.Stop();
            longest = watch.Elapsed > longest ? watch.Elapsed : longest;
            if (decision.Commands.Count == 0)
            {
                break;
            }

            rounds++;
            commands += decision.Commands.Count;
            output.WriteLine($"  decision {rounds}: {watch.Elapsed.TotalSeconds:F3} s, {decision.Commands.Count} command(s) by {string.Join(", ", decision.Commands.Select(c => c.Method).Distinct())}");
            input = Apply(input, decision.Commands, rounds);
        }

        total.Stop();
        var costAfter = input.Nodes.Sum(n => n.Price);
        var (bound, _) = CostLowerBound.Compute(pods, pools);
        foreach (var pool in pools)
        {
            var poolPods = input.Nodes.Where(n => n.NodePool == pool.Name).SelectMany(n => n.Workload).ToList();
            if (poolPods.Count > 0)
            {
                var poolBound = CostLowerBound.Compute(poolPods, [pool]).Cost;
                var poolCost = input.Nodes.Where(n => n.NodePool == pool.Name).Sum(n => n.Price);
                output.WriteLine($"  {pool.Name}: {input.Nodes.Count(n => n.NodePool == pool.Name)} nodes ${poolCost:F2}/h, its pods' bound ${poolBound:F2}/h, "
                    + string.Join(", ", input.Nodes.Where(n => n.NodePool == pool.Name).GroupBy(n => n.InstanceType).OrderByDescending(g => g.Count()).Take(6).Select(g => $"{g.Count()}x{g.Key}")));
            }
        }

        output.WriteLine($"  {rounds} decisions, {commands} commands, {total.Elapsed.TotalSeconds:F2} s in all, longest decision {longest.TotalSeconds:F3} s");
        output.WriteLine($"  cost ${costBefore:F2}/h -> ${costAfter:F2}/h ({input.Nodes.Count} nodes); lower bound ${bound:F2}/h (LP relaxation); after/bound {costAfter / bound:F3}");
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                consolidation = new
                {
                    nodes = nodeCount,
                    seconds = Math.Round(longest.TotalSeconds, 3),
                    costBefore = Math.Round(costBefore, 2),
                    costAfter = Math.Round(costAfter, 2),
                    lowerBound = Math.Round(bound, 2),
                    rounds,
                    totalSeconds = Math.Round(total.Elapsed.TotalSeconds, 2),
                    nodesAfter = input.Nodes.Count,
                },
            }));
        }

        return 0;
    }

    /// <summary>
    /// The cluster after the commands, carried out as the service does: each command's replacements join, empty, then
    /// its candidates go and their pods are placed by a fresh solve over the nodes left. That solve must need no
    /// other new node: the decision promised the replacements were enough.
    /// </summary>
    private static DisruptionInput Apply(DisruptionInput input, IReadOnlyList<DisruptionCommand> commands, int round)
    {
        for (var c = 0; c < commands.Count; c++)
        {
            var command = commands[c];
            var gone = command.Candidates.Select(n => n.Name).ToHashSet();
            var nodes = input.Nodes.Where(n => !gone.Contains(n.Name)).ToList();
            foreach (var claim in command.Replacements)
            {
                // Named by round and command: a name used twice would make a later command take both nodes.
                var node = claim.ToNode(input.Pools.Single(p => p.Name == claim.NodePool), $"{claim.Name}-round{round}-{c}", inFlight: false);
                nodes.Add(Nodes.State(node with { Pods = [] }, claim, input.Now, input.Now));
            }

            var displaced = input.Nodes.Where(n => gone.Contains(n.Name)).SelectMany(n => n.Workload).ToList();
            var plan = Scheduler.Solve(new SchedulingInput(displaced, [.. nodes.Select(n => n.Node)], input.Pools, input.Cache));
            if (plan.Unplaced.Count > 0 || plan.NodeClaims.Count > 0)
            {
                throw new InvalidOperationException($"applying {command} left {plan.Unplaced.Count} pods without a place and {plan.NodeClaims.Count} needing new nodes");
            }

            var arriving = plan.Placements.GroupBy(p => p.Target).ToDictionary(g => g.Key, g => g.Select(p => p.Pod).ToList());
            nodes = [.. nodes.Select(n => arriving.TryGetValue(n.Name, out var more) ? n with { Node = n.Node with { Pods = [.. n.Node.Pods, .. more] } } : n)];
            input = input with { Nodes = nodes };
        }

        return input;
    }
}
