namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Removes one underused node whose pods fit elsewhere, or replaces it with one cheaper node. Tries candidates
/// cheapest to disrupt first and stops at the first that works, or when the caller's time is up.
/// </summary>
internal sealed class SingleNodeConsolidation : IDisruptionMethod
{
    public string Name => "SingleNodeConsolidation";

    public string Reason => "Underutilized";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        foreach (var node in context.Available.ToList())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                context.Explanation.Add("single-node consolidation stopped: out of time");
                break;
            }

            if (!context.Consolidatable(node, empty: false) || !context.Allows([node], Reason))
            {
                continue;
            }

            var (plan, why) = Replacement.Find(context, [node], maxNew: 1);
            if (plan is null)
            {
                context.Explanation.Add($"{node.Name}: kept: {why}");
                continue;
            }

            if (plan.NodeClaims.Count == 1 && Replacement.CheaperProblem([node], plan.NodeClaims[0]) is { } problem)
            {
                context.Explanation.Add($"{node.Name}: kept: {problem}");
                continue;
            }

            var command = new DisruptionCommand(Name, Reason, [node], plan.NodeClaims, node.Price - plan.HourlyCost,
                plan.NodeClaims.Count == 0 ? "its pods fit on the rest of the cluster" : "one cheaper node can take its pods");
            context.Take(command, plan);
            return [command];
        }

        return [];
    }
}
