namespace Platform.Autoscaler.Core.Disruption;

/// <summary>Nodes without workload pods, quiet for consolidateAfter, are deleted, within the Empty budget.</summary>
internal sealed class Emptiness : IDisruptionMethod
{
    public string Name => "Emptiness";

    public string Reason => "Empty";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        var commands = new List<DisruptionCommand>();
        foreach (var node in context.Available.Where(n => !n.Workload.Any()).ToList())
        {
            if (!context.Consolidatable(node, empty: true))
            {
                context.Explanation.Add($"{node.Name}: empty, waiting for consolidateAfter of {node.NodePool}");
                continue;
            }

            if (!context.Allows([node], Reason))
            {
                context.Explanation.Add($"{node.Name}: empty but kept: the Empty budget of {node.NodePool} is used up");
                continue;
            }

            var command = new DisruptionCommand(Name, Reason, [node], [], node.Price, "no workload pods");
            context.Take(command, null);
            commands.Add(command);
        }

        return commands;
    }
}
