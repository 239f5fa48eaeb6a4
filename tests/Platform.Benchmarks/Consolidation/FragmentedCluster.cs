using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Consolidation;

/// <summary>
/// A cluster after a scale-down: the scheduler bought about <c>nodeCount</c> nodes of the GPU scenario's pools for
/// a load of one-GPU inference pods and CPU pods, then half the pods went away at random, leaving most nodes part
/// full and some empty. Every node is consolidatable; budgets are wide open.
/// </summary>
internal static class FragmentedCluster
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);

    public static DisruptionInput Create(int nodeCount, IReadOnlyList<NodePoolTemplate> pools, Random random)
    {
        var gpuPods = nodeCount * 3 / 10;
        var cpuPods = nodeCount * 8;
        Plan plan;
        var cache = new SchedulerCache();
        while (true)
        {
            var pods = Workload(gpuPods, cpuPods, new Random(random.Next()));
            // The greedy plan, as the cluster was before the re-pack existed: the starting point stays the same
            // cluster, so the consolidation figures compare across changes to the solver.
            plan = Scheduler.Solve(new SchedulingInput(pods, [], pools, cache, Packing: PackingOptions.Greedy));
            var shortBy = nodeCount - plan.NodeClaims.Count;
            if (Math.Abs(shortBy) <= nodeCount / 50)
            {
                break;
            }

            var cpuNodes = Math.Max(1, plan.NodeClaims.Count(c => c.NodePool == "cpu"));
            cpuPods = Math.Max(1, cpuPods + shortBy * cpuPods / cpuNodes);
        }

        var nodes = new List<NodeState>();
        foreach (var claim in plan.NodeClaims)
        {
            var pool = pools.Single(p => p.Name == claim.NodePool);
            var node = claim.ToNode(pool, claim.Name, inFlight: false);
            nodes.Add(Nodes.State(node with { Pods = [.. node.Pods.Where(_ => random.Next(2) == 0)] }, claim, Now - TimeSpan.FromDays(random.Next(1, 20)), Now)); // the scale-down
        }

        var policies = pools.ToDictionary(p => p.Name, p => new DisruptionPolicy(p.Name, ConsolidationPolicies.WhenEmptyOrUnderutilized, TimeSpan.Zero, null, [new Budget { Nodes = "100%" }]));
        return new DisruptionInput(nodes, [], pools, policies, [], Now, cache);
    }

    private static List<Pod> Workload(int gpuPods, int cpuPods, Random random)
    {
        var pods = new List<Pod>();
        for (var i = 0; i < gpuPods; i++)
        {
            pods.Add(new Pod
            {
                Namespace = "ml",
                Name = $"infer-{i}",
                Labels = new Dictionary<string, string> { ["app"] = "infer" },
                Requests = ResourceList.Of(("cpu", 1000L * random.Next(1, 4)), ("memory", (long)random.Next(2, 9) << 30), (WellKnownResources.NvidiaGpu, 1)),
                Tolerations = [new Toleration(WellKnownTaints.NvidiaGpu, "Exists", null, null)],
                NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.InstanceGpuName, "a10g", "l4", "t4")])],
            });
        }

        for (var i = 0; i < cpuPods; i++)
        {
            pods.Add(new Pod
            {
                Namespace = "web",
                Name = $"api-{i}",
                Labels = new Dictionary<string, string> { ["app"] = $"api-{i % 20}" },
                Requests = ResourceList.Of(("cpu", 250L * random.Next(1, 9)), ("memory", (long)random.Next(1, 9) << 29)),
            });
        }

        return pods;
    }
}
