namespace Platform.Autoscaler.Core.Launch;

/// <summary>
/// Offerings the cloud recently said it has no capacity for, forgotten after a TTL (Karpenter keeps them three
/// minutes). Launches skip them and the scheduler plans around them, so the next plan falls to the next offering
/// or NodePool tier. Time is passed in, never read; safe to share between loops (launches run in parallel).
/// </summary>
public sealed class UnavailableOfferings(TimeSpan ttl)
{
    /// <summary>Karpenter's TTL.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(3);

    private readonly Dictionary<OfferingKey, DateTimeOffset> until = [];
    private readonly Lock gate = new();

    /// <summary>Uses the default TTL.</summary>
    public UnavailableOfferings() : this(DefaultTtl) { }

    /// <summary>How long an entry lasts.</summary>
    public TimeSpan Ttl { get; } = ttl;

    /// <summary>Marks an offering unavailable from <paramref name="now"/> for the TTL.</summary>
    public void Mark(OfferingKey offering, DateTimeOffset now)
    {
        lock (gate)
        {
            until[offering] = now + Ttl;
        }
    }

    /// <summary>Whether the offering is still marked at <paramref name="now"/>.</summary>
    public bool IsUnavailable(OfferingKey offering, DateTimeOffset now)
    {
        lock (gate)
        {
            return until.TryGetValue(offering, out var end) && end > now;
        }
    }

    /// <summary>The offerings still marked at <paramref name="now"/> (expired entries are dropped).</summary>
    public IReadOnlySet<(string InstanceType, string Zone, string CapacityType)> Snapshot(DateTimeOffset now)
    {
        lock (gate)
        {
            foreach (var expired in until.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
            {
                until.Remove(expired);
            }

            return until.Keys.Select(k => (k.InstanceType, k.Zone, k.CapacityType)).ToHashSet();
        }
    }
}
