using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Controllers;

namespace Platform.Autoscaler.Simulation;

/// <summary>An interruption queue fed by the scenario: what EventBridge would deliver, and garbage too.</summary>
public sealed class ScriptedInterruptions : IInterruptionSource
{
    private readonly Queue<InterruptionMessage> messages = new();
    private readonly Queue<string> garbage = new();
    private int receipts;

    /// <summary>Messages handed out and acknowledged.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Queues a notice.</summary>
    public void Enqueue(InterruptionMessage message) => messages.Enqueue(message);

    /// <summary>Queues a message that is not a supported event.</summary>
    public void EnqueueGarbage(string why) => garbage.Enqueue(why);

    /// <inheritdoc />
    public Task<InterruptionBatch> ReceiveAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(InterruptionMessage, string)>();
        while (messages.Count > 0 && batch.Count < 10)
        {
            batch.Add((messages.Dequeue(), $"receipt-{++receipts}"));
        }

        var rejected = new List<string>();
        while (garbage.Count > 0)
        {
            rejected.Add(garbage.Dequeue());
        }

        return Task.FromResult(new InterruptionBatch(batch, rejected));
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        Acknowledged++;
        return Task.CompletedTask;
    }
}
