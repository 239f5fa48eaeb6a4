namespace Platform.Autoscaler.Diagnostics;

/// <summary>
/// Decides which of a repeating failure's occurrences are logged: the first, then at most one per interval per key,
/// each saying how many were left out since the last. A failing dependency then costs a line a minute, not a line
/// (or a stack trace) per retry.
/// </summary>
internal sealed class RateLimitedLog(TimeProvider time, TimeSpan interval)
{
    private readonly Dictionary<string, (DateTimeOffset Logged, int Suppressed)> keys = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Whether to log this occurrence now, and how many were left out since the last logged one.</summary>
    public bool ShouldLog(string key, out int suppressed)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (keys.TryGetValue(key, out var last) && now - last.Logged < interval)
            {
                keys[key] = last with { Suppressed = last.Suppressed + 1 };
                suppressed = 0;
                return false;
            }

            suppressed = keys.TryGetValue(key, out last) ? last.Suppressed : 0;
            keys[key] = (now, 0);
            return true;
        }
    }

    /// <summary>The suffix a logged line gets for the occurrences left out before it: empty when none were.</summary>
    public static string Repeats(int suppressed) => suppressed == 0 ? "" : $" ({suppressed} more since the last line)";

    /// <summary>Forgets a key once its failure is over, so the next failure is logged at once.</summary>
    public void Reset(string key)
    {
        lock (gate)
        {
            keys.Remove(key);
        }
    }
}
