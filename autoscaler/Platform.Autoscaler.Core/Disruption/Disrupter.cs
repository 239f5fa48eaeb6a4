namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// One disruption pass: expiration, drift, emptiness, multi-node and single-node consolidation, in that order;
/// the first method that finds anything decides the pass. Every command was simulated with the scheduler, fits
/// the budgets and PDBs, and spares do-not-disrupt nodes and pods. Pure: the clock is the input's Now, and the
/// cancellation token is how the caller bounds the search.
/// </summary>
public static class Disrupter
{
    /// <summary>Decides this pass's commands, with the reasoning.</summary>
    public static DisruptionDecision Decide(DisruptionInput input, CancellationToken cancellationToken = default)
    {
        var context = new DisruptionContext(input, cancellationToken);
        IDisruptionMethod[] methods = [new Expiration(), new Drift(), new Emptiness(), new MultiNodeConsolidation(), new SingleNodeConsolidation()];
        foreach (var method in methods)
        {
            var commands = method.Compute(context, cancellationToken);
            if (commands.Count > 0)
            {
                context.Explanation.AddRange(commands.Select(c => c.ToString()));
                return new DisruptionDecision(commands, context.Explanation);
            }
        }

        context.Explanation.Add("nothing to disrupt");
        return new DisruptionDecision([], context.Explanation);
    }
}
