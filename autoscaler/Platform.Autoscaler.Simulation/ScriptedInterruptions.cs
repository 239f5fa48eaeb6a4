using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Controllers;

namespace Platform.Autoscaler.Simulation;

/// <summary>An interruption queue fed by the scenario: what EventBridge would deliver.</summary>
public sealed class ScriptedInterruptions : IInterruptionSource
{
    private readonly Queue<InterruptionMessage> messages = new();
    private int receipts;

    /// <summary>Messages handed out and acknowledged.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Queues a notice.</summary>
    public void Enqueue(InterruptionMessage message) => messages.Enqueue(message);

    /// <inheritdoc />
    public Task<InterruptionBatch> ReceiveAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(InterruptionMessage, string)>();
        while (messages.Count > 0 && batch.Count < 10)
        {
            batch.Add((messages.Dequeue(), $"receipt-{++receipts}"));
        }

        return Task.FromResult(new InterruptionBatch(batch, []));
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        Acknowledged++;
        return Task.CompletedTask;
    }
}
