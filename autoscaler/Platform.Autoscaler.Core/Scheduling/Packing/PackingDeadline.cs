namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// When a batch's re-pack must stop: the caller's cancellation, or its budget on its clock. Without a clock there is no
/// deadline, and the fixed work limits of <see cref="PackingSolver"/> alone bound the search.
/// </summary>
internal sealed class PackingDeadline : IDisposable
{
    private readonly CancellationTokenSource? timer;
    private readonly CancellationTokenSource? linked;

    public PackingDeadline(PackingOptions options, int pods)
    {
        if (options.Clock is { } clock)
        {
            timer = new CancellationTokenSource(options.BudgetFor(pods), clock);
            linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, options.Cancellation);
            Token = linked.Token;
        }
        else
        {
            Token = options.Cancellation;
        }
    }

    public CancellationToken Token { get; }

    public bool Passed => Token.IsCancellationRequested;

    public void Dispose()
    {
        linked?.Dispose();
        timer?.Dispose();
    }
}
