namespace Platform.Autoscaler.Simulation;

/// <summary>
/// Simulated wall time, moved only by <see cref="Advance"/>. Timestamps (elapsed-time measurements) stay real, so
/// the solver's measured duration is the true one.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Moves time on.</summary>
    public void Advance(TimeSpan by) => now += by;
}
