namespace Platform.Autoscaler.Aws.Interruption;

/// <summary>One event about instances, read from the interruption queue.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="InstanceIds">The instances it concerns.</param>
/// <param name="Time">When EventBridge says it happened.</param>
/// <param name="State">For state changes: the new state.</param>
public sealed record InterruptionMessage(InterruptionKind Kind, IReadOnlyList<string> InstanceIds, DateTimeOffset Time, string? State = null)
{
    /// <summary>Whether the node must be replaced and drained now (rebalance is advice; running and pending states are not).</summary>
    public bool Actionable => Kind switch
    {
        InterruptionKind.SpotInterruption or InterruptionKind.ScheduledChange => true,
        InterruptionKind.StateChange => State is "stopping" or "stopped" or "shutting-down" or "terminated",
        _ => false,
    };
}
