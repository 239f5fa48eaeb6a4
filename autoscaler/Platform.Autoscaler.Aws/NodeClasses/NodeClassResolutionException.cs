namespace Platform.Autoscaler.Aws.NodeClasses;

/// <summary>An EC2NodeClass's selectors matched nothing usable; every problem is listed with its field path.</summary>
public sealed class NodeClassResolutionException : Exception
{
    /// <summary>Creates the error for a node class's problems.</summary>
    public NodeClassResolutionException(string nodeClass, IReadOnlyList<string> problems)
        : base($"EC2NodeClass/{nodeClass}: {string.Join("; ", problems)}") => Problems = problems;

    /// <summary>Creates an error without problems.</summary>
    public NodeClassResolutionException() : this("", []) { }

    /// <summary>Creates an error with a message only.</summary>
    public NodeClassResolutionException(string message) : base(message) => Problems = [message];

    /// <summary>Creates an error wrapping another.</summary>
    public NodeClassResolutionException(string message, Exception inner) : base(message, inner) => Problems = [message];

    /// <summary>Each problem, as "field.path: reason".</summary>
    public IReadOnlyList<string> Problems { get; }
}
