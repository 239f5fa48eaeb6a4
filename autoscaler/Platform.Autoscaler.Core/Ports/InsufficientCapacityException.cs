using Platform.Autoscaler.Core.Launch;

namespace Platform.Autoscaler.Core.Ports;

/// <summary>No offering of a launch attempt had capacity; each is named so it can be marked unavailable.</summary>
public sealed class InsufficientCapacityException : Exception
{
    /// <summary>Creates the error for the exhausted offerings.</summary>
    public InsufficientCapacityException(IReadOnlyList<OfferingKey> offerings, string? detail = null)
        : base($"insufficient capacity for {string.Join(", ", offerings)}{(detail is null ? "" : $": {detail}")}") => Offerings = offerings;

    /// <summary>Creates an error without offerings (for serializers and mocks).</summary>
    public InsufficientCapacityException() : this([]) { }

    /// <summary>Creates an error with a message only.</summary>
    public InsufficientCapacityException(string message) : base(message) => Offerings = [];

    /// <summary>Creates an error wrapping another.</summary>
    public InsufficientCapacityException(string message, Exception inner) : base(message, inner) => Offerings = [];

    /// <summary>The offerings that had no capacity.</summary>
    public IReadOnlyList<OfferingKey> Offerings { get; }
}
