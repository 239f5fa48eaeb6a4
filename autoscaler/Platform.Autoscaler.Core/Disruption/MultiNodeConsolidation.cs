using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Removes several underused nodes of one pool at once, their pods moving to the rest of the cluster and at most one
/// new node cheaper than all of them together. Among the pool's first <see cref="MaxCandidates"/> candidates
/// (cheapest to disrupt first) it simulates the few sets <see cref="MergeProposals"/> ranks best, which gather small
/// nodes onto one larger node of a type cheap per unit; failing those, the largest prefix of the candidates whose
/// pods all fit on the remaining nodes, found by binary search as Karpenter does. Then it seeks another batch among
/// the nodes left, while time lasts.
/// </summary>
internal sealed class MultiNodeConsolidation : IDisruptionMethod
{
    public const int MaxCandidates = 100;

    /// <summary>
    /// Ranked sets simulated per batch. The estimate ranks well; going further down the list finds sets that do
    /// work but pack worse, and measured on the consolidation benchmark ends dearer, not cheaper.
    /// </summary>
    public const int MaxProposals = 4;

    public string Name => "MultiNodeConsolidation";

    public string Reason => "Underutilized";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        // Batches are sought per NodePool: nodes of different pools rarely take each other's pods, and one pool's
        // full nodes at the head of the list would otherwise sink every set. One batch after another while batches
        // are found and time lasts; each batch's moves are counted before the next is sought.
        var commands = new List<DisruptionCommand>();
        foreach (var pool in context.Available.Select(n => n.NodePool).Distinct().Order(StringComparer.Ordinal).ToList())
        {
            var template = context.Input.Pools.FirstOrDefault(p => p.Name == pool);
            var proposals = template is null ? null : new MergeProposals(template, context.Types(template), context.Input.Nodes.Where(n => n.NodePool == pool));
            while (!cancellationToken.IsCancellationRequested && Batch(context, pool, proposals, cancellationToken) is { } command)
            {
                commands.Add(command);
            }
        }

        return commands;
    }

    private DisruptionCommand? Batch(DisruptionContext context, string pool, MergeProposals? proposals, CancellationToken cancellationToken)
    {
        var candidates = new List<NodeState>();
        var budget = context.BudgetLeft(pool, Reason);
        foreach (var node in context.Available.Where(n => n.NodePool == pool))
        {
            if (candidates.Count == MaxCandidates || candidates.Count == budget)
            {
                break;
            }

            // Every subset of nodes the budgets and PDBs allow together is allowed too.
            if (context.Consolidatable(node, empty: false) && context.Allows([.. candidates, node], Reason))
            {
                candidates.Add(node);
            }
        }

        if (candidates.Count < 2)
        {
            return null;
        }

        if ((Proposed(context, proposals, candidates, cancellationToken) ?? Prefix(context, candidates, cancellationToken)) is not { } chosen)
        {
            return null;
        }

        context.Take(chosen.Command, chosen.Plan);
        return chosen.Command;
    }

    private (DisruptionCommand Command, Plan Plan)? Proposed(DisruptionContext context, MergeProposals? proposals, List<NodeState> candidates, CancellationToken cancellationToken)
    {
        foreach (var nodes in proposals?.Rank(candidates).Take(MaxProposals) ?? [])
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (Try(context, nodes, maxNew: 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// Karpenter's search, for deletes only: the largest prefix of the candidates whose pods fit on the remaining
    /// nodes, by binary search. With a new node allowed it would find the largest prefix one node can hold, and buy
    /// the biggest type there is, usually dear per unit; the ranked sets already choose merges better.
    /// </summary>
    private (DisruptionCommand Command, Plan Plan)? Prefix(DisruptionContext context, List<NodeState> candidates, CancellationToken cancellationToken)
    {
        (DisruptionCommand Command, Plan Plan)? best = null;
        int low = 2, high = candidates.Count;
        while (low <= high && !cancellationToken.IsCancellationRequested)
        {
            var middle = (low + high) / 2;
            if (Try(context, candidates.Take(middle).ToList(), maxNew: 0) is { } command)
            {
                best = command;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return best;
    }

    private (DisruptionCommand, Plan)? Try(DisruptionContext context, IReadOnlyList<NodeState> nodes, int maxNew)
    {
        var (plan, replacements, _) = Replacement.Consolidate(context, nodes, maxNew);
        return plan is null ? null : (new DisruptionCommand(Name, Reason, nodes, replacements, nodes.Sum(n => n.Price) - plan.HourlyCost,
            $"{nodes.Count} underused nodes' pods fit on the rest of the cluster{(replacements.Count == 1 ? " and one cheaper node" : "")}"), plan);
    }
}
