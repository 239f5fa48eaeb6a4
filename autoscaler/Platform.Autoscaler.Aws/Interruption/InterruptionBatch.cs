namespace Platform.Autoscaler.Aws.Interruption;

/// <summary>What one receive returned: events to act on (acknowledge each when handled) and the rejected messages' reasons.</summary>
public sealed record InterruptionBatch(IReadOnlyList<(InterruptionMessage Message, string ReceiptHandle)> Messages, IReadOnlyList<string> Rejected);
