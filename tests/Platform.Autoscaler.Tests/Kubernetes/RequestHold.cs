namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>Keeps matching requests of the fake API server waiting, unanswered, until disposed.</summary>
internal sealed class RequestHold(Func<RecordedRequest, bool> predicate) : IDisposable
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int waiting;

    /// <summary>How many requests have been held so far.</summary>
    public int Held => Volatile.Read(ref waiting);

    public bool Matches(RecordedRequest request) => !released.Task.IsCompleted && predicate(request);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref waiting);
        await released.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => released.TrySetResult();
}
