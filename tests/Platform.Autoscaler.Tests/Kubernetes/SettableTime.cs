namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>A clock the test sets; timers and delays still run on real time.</summary>
internal sealed class SettableTime(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public void Advance(TimeSpan by) => now += by;

    public override DateTimeOffset GetUtcNow() => now;
}
