namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Removes several underused nodes at once, their pods moving to the rest of the cluster and at most one new node
/// cheaper than all of them together. Finds the largest such prefix of the candidates (cheapest to disrupt first)
/// by binary search, as Karpenter does, over at most <see cref="MaxCandidates"/> nodes; then looks for another
/// batch among the nodes left, while time lasts.
/// </summary>
internal sealed class MultiNodeConsolidation : IDisruptionMethod
{
    public const int MaxCandidates = 100;

    public string Name => "MultiNodeConsolidation";

    public string Reason => "Underutilized";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        // Batches are sought per NodePool: nodes of different pools rarely take each other's pods, and one pool's
        // full nodes at the head of the list would otherwise sink every prefix. One batch after another while
        // batches are found and time lasts; each batch's moves are counted before the next is sought.
        var commands = new List<DisruptionCommand>();
        foreach (var pool in context.Available.Select(n => n.NodePool).Distinct().Order(StringComparer.Ordinal).ToList())
        {
            while (!cancellationToken.IsCancellationRequested && Batch(context, pool, cancellationToken) is { } command)
            {
                commands.Add(command);
            }
        }

        return commands;
    }

    private DisruptionCommand? Batch(DisruptionContext context, string pool, CancellationToken cancellationToken)
    {
        var candidates = new List<NodeState>();
        var budget = context.BudgetLeft(pool, Reason);
        foreach (var node in context.Available.Where(n => n.NodePool == pool))
        {
            if (candidates.Count == MaxCandidates || candidates.Count == budget)
            {
                break;
            }

            if (context.Consolidatable(node, empty: false) && context.Allows([.. candidates, node], Reason))
            {
                candidates.Add(node);
            }
        }

        if (candidates.Count < 2)
        {
            return null;
        }

        (DisruptionCommand Command, Scheduling.Plan Plan)? best = null;
        int low = 2, high = candidates.Count;
        while (low <= high && !cancellationToken.IsCancellationRequested)
        {
            var middle = (low + high) / 2;
            var prefix = candidates.Take(middle).ToList();
            if (Try(context, prefix) is { } command)
            {
                best = command;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (best is null)
        {
            return null;
        }

        context.Take(best.Value.Command, best.Value.Plan);
        return best.Value.Command;
    }

    private (DisruptionCommand, Scheduling.Plan)? Try(DisruptionContext context, List<NodeState> nodes)
    {
        var (plan, replacements, _) = Replacement.Consolidate(context, nodes);
        return plan is null ? null : (new DisruptionCommand(Name, Reason, nodes, replacements, nodes.Sum(n => n.Price) - plan.HourlyCost,
            $"{nodes.Count} underused nodes' pods fit on the rest of the cluster{(replacements.Count == 1 ? " and one cheaper node" : "")}"), plan);
    }
}
