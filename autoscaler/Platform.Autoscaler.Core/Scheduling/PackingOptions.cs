namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// How hard the scheduler looks for a cheaper plan than its greedy one. After the greedy solve it re-packs each pool's
/// new claims (column generation over node patterns, then integer programs over the patterns found) and keeps the result only
/// where it beats the greedy plan. The work is bounded by fixed limits, so the same input and seed give the same plan;
/// a clock with a budget, or a cancellation, adds a deadline for callers that must answer in time. A search cut short
/// keeps the greedy plan or the best improvement it had already proven.
/// </summary>
public sealed record PackingOptions
{
    /// <summary>Improve within the fixed work limits, without a deadline.</summary>
    public static PackingOptions Default { get; } = new();

    /// <summary>The greedy plan only.</summary>
    public static PackingOptions Greedy { get; } = new() { Enabled = false };

    /// <summary>Whether to improve the greedy plan at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The clock the budget is measured on; without one only the work limits and the cancellation apply.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Time allowed for a batch of up to 1,000 pods; larger batches get proportionally less.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Stops the search early (the caller's own deadline).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Seeds the integer programs' search; a plan is a function of its input and this seed.</summary>
    public int Seed { get; init; }

    /// <summary>The time allowed for a batch of <paramref name="pods"/> pods.</summary>
    public TimeSpan BudgetFor(int pods) => pods <= 1000 ? Budget : Budget * (1000.0 / pods);
}
