using Platform.Autoscaler.Aws.Interruption;

namespace Platform.Autoscaler.Controllers;

/// <summary>Where interruption notices come from: the SQS queue in a cluster, a scripted feed in simulate.</summary>
public interface IInterruptionSource
{
    /// <summary>The next batch (possibly empty); garbage is already deleted and listed as rejected.</summary>
    Task<InterruptionBatch> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a handled message.</summary>
    Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken);
}

/// <summary>The SQS queue as an interruption source, long-polling up to 20 s per receive.</summary>
public sealed class QueueInterruptionSource(InterruptionQueue queue) : IInterruptionSource
{
    /// <inheritdoc />
    public Task<InterruptionBatch> ReceiveAsync(CancellationToken cancellationToken) => queue.ReceiveAsync(TimeSpan.FromSeconds(20), cancellationToken);

    /// <inheritdoc />
    public Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken) => queue.AcknowledgeAsync(receiptHandle, cancellationToken);
}
