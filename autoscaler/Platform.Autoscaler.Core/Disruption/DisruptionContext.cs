using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Budgets;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// What the methods of one pass share: which nodes may be disrupted at all (and why the others may not), what the
/// budgets and PDBs still allow, and the simulation that proves displaced pods have somewhere to go.
/// </summary>
internal sealed class DisruptionContext
{
    private readonly Dictionary<(string Pool, string Reason), int> budgetLeft = [];
    private readonly Dictionary<PodDisruptionBudget, int> pdbLeft;
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Pod>> arriving = new(StringComparer.Ordinal);
    private readonly List<ClusterNode> launching = [];

    // What each launching replacement counts against its pool's limits: its type's full capacity, as the solver
    // reserved it, not the allocatable its node offers pods.
    private readonly Dictionary<string, ResourceList> launchingCapacity = new(StringComparer.Ordinal);

    private readonly SchedulerCache cache;

    private readonly CancellationToken cancellation;

    /// <param name="cancellation">The pass's own bound, which also cuts short the re-pack of a simulation's new claims.</param>
    public DisruptionContext(DisruptionInput input, CancellationToken cancellation = default)
    {
        Input = input;
        this.cancellation = cancellation;
        cache = input.Cache ?? new SchedulerCache();
        pdbLeft = input.Budgets.ToDictionary(b => b, b => b.DisruptionsAllowed);
        var eligible = new List<NodeState>();
        foreach (var node in input.Nodes)
        {
            if (Ineligible(node) is { } why)
            {
                Explanation.Add($"{node.Name}: not a candidate: {why}");
            }
            else
            {
                eligible.Add(node);
            }
        }

        Candidates = [.. eligible.OrderBy(DisruptionCost).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    public DisruptionInput Input { get; }

    /// <summary>Nodes that may be disrupted, cheapest to disrupt first.</summary>
    public IReadOnlyList<NodeState> Candidates { get; }

    public List<string> Explanation { get; } = [];

    /// <summary>Nodes not yet part of a command of this pass.</summary>
    public IEnumerable<NodeState> Available => Candidates.Where(c => !taken.Contains(c.Name));

    public DisruptionPolicy Policy(NodeState node) =>
        Input.Policies.TryGetValue(node.NodePool, out var policy) ? policy : new DisruptionPolicy(node.NodePool, ConsolidationPolicies.WhenEmptyOrUnderutilized, TimeSpan.Zero, null, [new Budget { Nodes = "10%" }]);

    /// <summary>Whether consolidation may touch the node yet: its policy allows it and it has been quiet for consolidateAfter.</summary>
    public bool Consolidatable(NodeState node, bool empty)
    {
        var policy = Policy(node);
        if (policy.ConsolidateAfter is not { } after || (!empty && policy.ConsolidationPolicy == ConsolidationPolicies.WhenEmpty))
        {
            return false;
        }

        return Input.Now - node.LastPodEventAt >= after;
    }

    /// <summary>How many more nodes of the pool may be disrupted for the reason in this pass.</summary>
    public int BudgetLeft(string pool, string reason)
    {
        if (!budgetLeft.TryGetValue((pool, reason), out var left))
        {
            var nodes = Input.Nodes.Where(n => n.NodePool == pool).ToList();
            var policy = Input.Policies.TryGetValue(pool, out var p) ? p : null;
            left = DisruptionBudgets.Allowed(policy?.Budgets ?? [new Budget { Nodes = "10%" }], reason, nodes.Count, nodes.Count(n => n.MarkedForDeletion), Input.Now);
            budgetLeft[(pool, reason)] = left;
        }

        return left;
    }

    /// <summary>Whether the nodes together fit their pools' budgets and the PDBs.</summary>
    public bool Allows(IReadOnlyCollection<NodeState> nodes, string reason, bool budgeted = true)
    {
        if (budgeted && nodes.GroupBy(n => n.NodePool).Any(g => g.Count() > BudgetLeft(g.Key, reason)))
        {
            return false;
        }

        return PdbDemand(nodes).All(kv => kv.Value <= pdbLeft[kv.Key]);
    }

    /// <summary>
    /// Records a chosen command: its nodes leave the pool of candidates, use up budget and PDB room, and the pods
    /// its simulation moved are counted on their new nodes, so later commands of the pass cannot promise the same room.
    /// </summary>
    public void Take(DisruptionCommand command, Plan? plan, bool budgeted = true)
    {
        foreach (var placement in plan?.Placements.Where(p => !p.NewNodeClaim) ?? [])
        {
            if (!arriving.TryGetValue(placement.Target, out var pods))
            {
                pods = [];
                arriving[placement.Target] = pods;
            }

            pods.Add(placement.Pod);
        }

        foreach (var claim in plan?.NodeClaims ?? [])
        {
            var pool = Input.Pools.First(p => p.Name == claim.NodePool);
            var node = claim.ToNode(pool, claim.Name + "-" + command.Candidates[0].Name);
            launching.Add(node);
            launchingCapacity[node.Name] = pool.InstanceTypes.First(t => t.Name == claim.Cheapest.InstanceType).Capacity;
        }

        foreach (var node in command.Candidates)
        {
            taken.Add(node.Name);
            if (budgeted)
            {
                budgetLeft[(node.NodePool, command.Reason)] = BudgetLeft(node.NodePool, command.Reason) - 1;
            }
        }

        foreach (var (pdb, demand) in PdbDemand(command.Candidates))
        {
            pdbLeft[pdb] -= demand;
        }
    }

    /// <summary>
    /// Where the pods of the removed nodes would go: the remaining nodes first, then new claims, at most
    /// <paramref name="maxNew"/> of them for the plan to be of use. The pools' usage counts every node that stays, so a
    /// replacement never breaks a limit. With one new claim allowed, it takes every pod any of its options fits (see
    /// <see cref="SchedulingInput.PackClaims"/>); with none, the new claims are not re-packed, as any one rules the plan
    /// out; with more, they are, within the pass's bound.
    /// </summary>
    public Plan Simulate(IReadOnlyCollection<NodeState> removing, int maxNew)
    {
        var packClaims = maxNew == 1;
        var packing = maxNew == 0 ? PackingOptions.Greedy : new PackingOptions { Cancellation = cancellation };
        var gone = removing.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var staying = Input.Nodes.Where(n => !gone.Contains(n.Name) && !n.MarkedForDeletion && !taken.Contains(n.Name)).ToList();
        // Earlier commands' moves count everywhere they landed, their replacements included: a replacement another
        // command already filled has no room left to promise.
        var nodes = staying.Select(n => n.Node).Concat(Input.OtherNodes).Concat(launching)
            .Select(n => arriving.TryGetValue(n.Name, out var more) ? n with { Pods = [.. n.Pods, .. more] } : n)
            .ToList();
        // Usage matters only against limits; summing hundreds of nodes' resources for a pool without any would
        // cost more than the solve.
        var pools = Input.Pools.Select(p =>
        {
            if (p.Limits is null)
            {
                return p;
            }

            var owned = staying.Where(n => n.NodePool == p.Name).ToList();
            var launched = launching.Where(n => n.NodePool == p.Name).ToList();
            var usage = owned.Select(n => n.Node.Capacity ?? n.Node.Allocatable).Concat(launched.Select(n => launchingCapacity[n.Name])).Aggregate(ResourceList.Empty, (sum, a) => sum.Add(a));
            return p with { Usage = usage, NodeCount = owned.Count + launched.Count };
        }).ToList();
        // Pods an earlier command of this pass moved onto a node leave with it too.
        var pods = removing.SelectMany(n => n.Workload.Concat(arriving.GetValueOrDefault(n.Name) ?? [])).ToList();
        return Scheduler.Solve(new SchedulingInput(pods, nodes, pools, cache, packClaims, Input.NamespaceLabels, packing));
    }

    /// <summary>A pool's usable instance types, cheapest first, from the solver's cache.</summary>
    public PoolTypes Types(NodePoolTemplate pool) => cache.For(pool);

    private Dictionary<PodDisruptionBudget, int> PdbDemand(IEnumerable<NodeState> nodes)
    {
        var demand = new Dictionary<PodDisruptionBudget, int>();
        foreach (var pod in nodes.SelectMany(n => n.Workload))
        {
            foreach (var pdb in Input.Budgets.Where(b => b.Covers(pod)))
            {
                demand[pdb] = demand.GetValueOrDefault(pdb) + 1;
            }
        }

        return demand;
    }

    private string? Ineligible(NodeState node)
    {
        if (node.MarkedForDeletion)
        {
            return "already being disrupted";
        }

        if (!node.Initialized)
        {
            return "not initialized";
        }

        if (node.Nominated)
        {
            return "nominated for a pending pod";
        }

        if (node.DoNotDisrupt)
        {
            return $"annotated {WellKnownAnnotations.DoNotDisrupt}";
        }

        if (node.Workload.FirstOrDefault(p => p.DoNotDisrupt) is { } protectedPod)
        {
            return $"pod {protectedPod.Id} is annotated {WellKnownAnnotations.DoNotDisrupt}";
        }

        if (PdbDemand([node]).FirstOrDefault(kv => kv.Value > pdbLeft[kv.Key]) is { Key: { } pdb })
        {
            return $"PodDisruptionBudget {pdb.Namespace}/{pdb.Name} allows {pdb.DisruptionsAllowed} disruption(s)";
        }

        return null;
    }

    /// <summary>Karpenter's ordering: pods to evict, weighted by how much of the node's life is left (expiring nodes first).</summary>
    private double DisruptionCost(NodeState node)
    {
        var expireAfter = Policy(node).ExpireAfter;
        var remaining = expireAfter is { } life && life > TimeSpan.Zero
            ? Math.Clamp(1 - (Input.Now - node.CreatedAt) / life, 0, 1)
            : 1.0;
        return node.Workload.Count() * remaining;
    }
}
