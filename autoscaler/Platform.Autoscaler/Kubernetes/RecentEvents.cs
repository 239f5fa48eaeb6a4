using Platform.Autoscaler.Cluster;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// The events recorded lately, so that a repeat raises the first one's count instead of adding another object
/// (client-go's correlator does the same). Bounded: past its capacity the entries that went quiet longest go first.
/// </summary>
internal sealed class RecentEvents(TimeSpan window, int capacity)
{
    private readonly Dictionary<ClusterEvent, RecordedEvent> entries = [];
    private readonly Lock gate = new();

    /// <summary>When <paramref name="clusterEvent"/> was recorded within the window: that event, its count raised by one.</summary>
    public RecordedEvent? Repeat(ClusterEvent clusterEvent, DateTime now)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(clusterEvent, out var recorded) || now - recorded.LastTimestamp >= window)
            {
                return null;
            }

            var repeated = recorded with { Count = recorded.Count + 1, LastTimestamp = now };
            entries[clusterEvent] = repeated;
            return repeated;
        }
    }

    public void Remember(ClusterEvent clusterEvent, RecordedEvent recorded)
    {
        lock (gate)
        {
            if (entries.Count >= capacity && !entries.ContainsKey(clusterEvent))
            {
                foreach (var stale in entries.OrderBy(e => e.Value.LastTimestamp).Take(Math.Max(1, capacity / 4)).Select(e => e.Key).ToList())
                {
                    entries.Remove(stale);
                }
            }

            entries[clusterEvent] = recorded;
        }
    }

    public void Forget(ClusterEvent clusterEvent)
    {
        lock (gate)
        {
            entries.Remove(clusterEvent);
        }
    }
}

