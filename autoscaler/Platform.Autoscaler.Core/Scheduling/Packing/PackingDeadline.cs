namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// When a batch's re-pack must stop: the caller's cancellation, or its budget on its clock. Without a clock there is no
/// deadline, and the fixed work limits of <see cref="PackingSolver"/> alone bound the search.
/// </summary>
internal sealed class PackingDeadline : IDisposable
{
    private readonly CancellationTokenSource? timer;
    private readonly CancellationTokenSource? linked;
    private readonly TimeProvider? clock;
    private readonly long start;
    private readonly TimeSpan budget;

    public PackingDeadline(PackingOptions options, int pods)
    {
        if (options.Clock is { } clock)
        {
            this.clock = clock;
            start = clock.GetTimestamp();
            budget = options.BudgetFor(pods);
            timer = new CancellationTokenSource(budget, clock);
            linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, options.Cancellation);
            Token = linked.Token;
        }
        else
        {
            Token = options.Cancellation;
        }
    }

    /// <summary>Cancelled at the deadline: stops an integer program's search in the middle.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether to stop: checked between steps, and on the clock itself, not only through its timer.</summary>
    public bool Passed => Token.IsCancellationRequested || (clock is not null && clock.GetElapsedTime(start) >= budget);

    public void Dispose()
    {
        linked?.Dispose();
        timer?.Dispose();
    }
}
