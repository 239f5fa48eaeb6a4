namespace Platform.Autoscaler.Core.Disruption;

/// <summary>Nodes whose NodePool or EC2NodeClass changed since launch are replaced, within the Drifted budget.</summary>
internal sealed class Drift : IDisruptionMethod
{
    public string Name => "Drift";

    public string Reason => "Drifted";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        var commands = new List<DisruptionCommand>();
        foreach (var node in context.Available.Where(n => n.Drifted).ToList())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (!context.Allows([node], Reason))
            {
                context.Explanation.Add($"{node.Name}: drifted but kept: the Drifted budget of {node.NodePool} or a PodDisruptionBudget is used up");
                continue;
            }

            var (plan, why) = Replacement.Find(context, [node], int.MaxValue);
            if (plan is null)
            {
                context.Explanation.Add($"{node.Name}: drifted but kept: {why}");
                continue;
            }

            var command = new DisruptionCommand(Name, Reason, [node], plan.NodeClaims, node.Price - plan.HourlyCost, "its NodePool or EC2NodeClass changed since launch");
            context.Take(command, plan);
            commands.Add(command);
        }

        return commands;
    }
}
