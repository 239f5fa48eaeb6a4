namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>Where a simulated process crash happens: before or after the given occurrence of one port call.</summary>
public sealed record CrashPoint(string Operation, int Occurrence, bool AfterCall)
{
    public override string ToString() => $"{(AfterCall ? "after" : "before")} {Operation} #{Occurrence}";
}

/// <summary>The process died: every call after the crash fails with this, as nothing runs in a dead process.</summary>
public sealed class ProcessCrashedException(string message) : Exception(message);

/// <summary>
/// Counts the port calls of one process and kills it at the crash point: the call either never reaches the
/// cluster or cloud (before) or lands there but its caller never learns of it (after). Every mutating call is also
/// recorded, so a test can name the steps a crash-free run goes through.
/// </summary>
public sealed class CrashSwitch(CrashPoint? point)
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Whether the process crashed.</summary>
    public bool Crashed { get; private set; }

    /// <summary>The calls made, in order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Runs one port call under the switch.</summary>
    public async Task<T> CallAsync<T>(string operation, Func<Task<T>> call)
    {
        bool crashBefore, crashAfter;
        lock (gate)
        {
            if (Crashed)
            {
                throw new ProcessCrashedException($"{operation}: the process crashed earlier");
            }

            var n = counts[operation] = counts.GetValueOrDefault(operation) + 1;
            Calls.Add(operation);
            var here = point is not null && point.Operation == operation && point.Occurrence == n;
            crashBefore = here && !point!.AfterCall;
            crashAfter = here && point!.AfterCall;
            Crashed = crashBefore;
        }

        if (crashBefore)
        {
            throw new ProcessCrashedException($"crashed {point}");
        }

        var result = await call();
        if (crashAfter)
        {
            lock (gate)
            {
                Crashed = true;
            }

            throw new ProcessCrashedException($"crashed {point}");
        }

        return result;
    }

    /// <summary>Runs one port call without a result under the switch.</summary>
    public Task CallAsync(string operation, Func<Task> call) => CallAsync(operation, async () =>
    {
        await call();
        return true;
    });
}
