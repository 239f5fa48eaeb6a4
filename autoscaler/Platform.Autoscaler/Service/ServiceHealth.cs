namespace Platform.Autoscaler.Service;

/// <summary>
/// What /readyz and /healthz report. Ready once the informers have their first lists (a replica that cannot see the
/// cluster should take no traffic and no lease). Alive unless a controller pass has run past the stall limit: a hung
/// call the loop cannot leave is what a restart cures; a pass that fails returns and is retried, so it is no reason.
/// </summary>
public sealed class ServiceHealth(TimeProvider time, TimeSpan stallLimit)
{
    private readonly Dictionary<string, DateTimeOffset> running = new(StringComparer.Ordinal);
    private readonly List<Func<IReadOnlyList<string>>> problemSources = [];
    private readonly Lock gate = new();
    private volatile bool synced;

    /// <summary>Whether the cluster caches are filled.</summary>
    public bool Ready => synced;

    /// <summary>The caches are filled.</summary>
    public void MarkSynced() => synced = true;

    /// <summary>The error that stopped the service, if one did; the process then exits 1.</summary>
    public string? Fatal { get; private set; }

    /// <summary>Records the error that stops the service.</summary>
    public void MarkFatal(string error) => Fatal = error;

    /// <summary>Adds a source of problems that make the service not ready (an unreachable API server or cloud).</summary>
    public void AddProblemSource(Func<IReadOnlyList<string>> source)
    {
        lock (gate)
        {
            problemSources.Add(source);
        }
    }

    /// <summary>Why the service is not ready; empty when it is.</summary>
    public IReadOnlyList<string> NotReadyBecause()
    {
        List<Func<IReadOnlyList<string>>> sources;
        lock (gate)
        {
            sources = [.. problemSources];
        }

        var problems = sources.SelectMany(source => source()).ToList();
        if (!synced)
        {
            problems.Insert(0, "cluster caches not synced yet");
        }

        return problems;
    }

    /// <summary>Wraps a controller pass so that its running time is watched.</summary>
    public Func<CancellationToken, Task> Watch(string name, Func<CancellationToken, Task> pass) => async cancellationToken =>
    {
        lock (gate)
        {
            running[name] = time.GetUtcNow();
        }

        try
        {
            await pass(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                running.Remove(name);
            }
        }
    };

    /// <summary>The passes running longer than the stall limit, with how long; empty when healthy.</summary>
    public IReadOnlyList<string> Stalled()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return [.. running.Where(kv => now - kv.Value > stallLimit).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key} pass running for {(now - kv.Value).TotalSeconds:0} s")];
        }
    }
}
