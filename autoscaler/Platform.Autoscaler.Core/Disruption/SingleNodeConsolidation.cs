using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Removes underused nodes whose pods fit elsewhere, or replaces each with one cheaper node. Unlike Karpenter,
/// which stops at the first, a pass keeps going while the caller's time lasts: each command's moved pods are
/// counted before the next is simulated, so the commands of a pass are safe together. Nodes that waste the most
/// money (price times unused share) are tried first.
/// </summary>
internal sealed class SingleNodeConsolidation : IDisruptionMethod
{
    public string Name => "SingleNodeConsolidation";

    public string Reason => "Underutilized";

    public IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken)
    {
        var commands = new List<DisruptionCommand>();
        foreach (var node in context.Available.OrderByDescending(Waste).ThenBy(n => n.Name, StringComparer.Ordinal).ToList())
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

            var (plan, replacements, why) = Replacement.Consolidate(context, [node]);
            if (plan is null)
            {
                context.Explanation.Add($"{node.Name}: kept: {why}");
                continue;
            }

            var command = new DisruptionCommand(Name, Reason, [node], replacements, node.Price - plan.HourlyCost,
                replacements.Count == 0 ? "its pods fit on the rest of the cluster" : "one cheaper node can take its pods");
            context.Take(command, plan);
            commands.Add(command);
        }

        return commands;
    }

    /// <summary>The hourly price of the node's unused cpu and memory share (whichever is less used).</summary>
    private static double Waste(NodeState node)
    {
        var requested = node.Node.Requested;
        var allocatable = node.Node.Allocatable;
        var used = Math.Max(Share(requested[WellKnownResources.Cpu], allocatable[WellKnownResources.Cpu]), Share(requested[WellKnownResources.Memory], allocatable[WellKnownResources.Memory]));
        return node.Price * (1 - used);
    }

    private static double Share(long used, long total) => total <= 0 ? 1 : Math.Min(1, (double)used / total);
}
