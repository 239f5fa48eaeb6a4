namespace Platform.Infra.Blueprint.NodePools;

/// <summary>
/// The environment's NodePools or EC2NodeClasses fail the autoscaler's own validator; thrown while the Pulumi program
/// runs, so <c>pulumi preview</c> stops with these messages before anything is deployed.
/// </summary>
public sealed class NodePoolValidationException : Exception
{
    /// <summary>Creates the exception for the given environment and errors.</summary>
    public NodePoolValidationException(string environment, IReadOnlyList<string> errors)
        : base($"the {environment} NodePools fail the autoscaler's validation ({errors.Count} error(s)):{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Every error as <c>file: Kind/name: field.path: reason</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
