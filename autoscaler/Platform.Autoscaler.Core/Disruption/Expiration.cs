using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Nodes older than their pool's expireAfter are replaced. Karpenter v1 treats expiry as forceful, outside
/// budgets; the pods must still have somewhere to go, and do-not-disrupt and PDBs still hold (see the context).
/// </summary>
internal sealed class Expiration : IDisruptionMethod
{
    public string Name => "Expiration";

    public string Reason => "Expired";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        var commands = new List<DisruptionCommand>();
        foreach (var node in context.Available.ToList())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (context.Policy(node).ExpireAfter is not { } life || context.Input.Now - node.CreatedAt < life)
            {
                continue;
            }

            var (plan, why) = Replacement.Find(context, [node], int.MaxValue);
            if (plan is null || !context.Allows([node], Reason, budgeted: false))
            {
                context.Explanation.Add($"{node.Name}: expired but kept: {why ?? "PodDisruptionBudgets"}");
                continue;
            }

            var command = new DisruptionCommand(Name, Reason, [node], plan.NodeClaims, node.Price - plan.HourlyCost,
                $"older than expireAfter {life.TotalHours:0.#}h");
            context.Take(command, plan, budgeted: false);
            commands.Add(command);
        }

        return commands;
    }
}
