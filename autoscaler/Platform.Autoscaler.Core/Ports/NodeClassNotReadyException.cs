namespace Platform.Autoscaler.Core.Ports;

/// <summary>
/// A launch's EC2NodeClass is missing or its selectors resolved to nothing usable; every problem is listed with
/// what it concerns. Nothing about the offerings is learnt: the launch waits until the class is mended.
/// </summary>
public sealed class NodeClassNotReadyException : Exception
{
    /// <summary>Creates the error for a node class's problems.</summary>
    public NodeClassNotReadyException(string nodeClass, IReadOnlyList<string> problems)
        : base($"EC2NodeClass/{nodeClass}: {string.Join("; ", problems)}") => (NodeClass, Problems) = (nodeClass, problems);

    /// <summary>Creates an error without problems.</summary>
    public NodeClassNotReadyException() : this("", []) { }

    /// <summary>Creates an error with a message only.</summary>
    public NodeClassNotReadyException(string message) : base(message) => (NodeClass, Problems) = ("", [message]);

    /// <summary>Creates an error wrapping another.</summary>
    public NodeClassNotReadyException(string message, Exception inner) : base(message, inner) => (NodeClass, Problems) = ("", [message]);

    /// <summary>The node class's name.</summary>
    public string NodeClass { get; }

    /// <summary>Each problem, as "what: reason".</summary>
    public IReadOnlyList<string> Problems { get; }
}
