namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// Where the processes die, in turn: each process is killed right after the next step of <see cref="Steps"/> has landed
/// (the API server or EC2 answered it with success, the process never heard), so the one started in its place finds
/// exactly the state that step left. A kill after each step is also one before the next: together they cover every
/// state a node's life passes through. A process is killed at most once, and only by its own requests.
/// </summary>
internal sealed class CrashPlan(IReadOnlyList<string> steps)
{
    private readonly Lock gate = new();
    private readonly List<string> killedAt = [];
    private readonly HashSet<ServiceProcess> killed = [];
    private readonly List<string> seen = [];

    /// <summary>The steps to kill after, in the order a node's life goes through them.</summary>
    public IReadOnlyList<string> Steps => steps;

    /// <summary>The step the next kill waits for; null once every kill happened.</summary>
    public string? Next
    {
        get
        {
            lock (gate)
            {
                return killedAt.Count < steps.Count ? steps[killedAt.Count] : null;
            }
        }
    }

    /// <summary>The steps killed after so far.</summary>
    public IReadOnlyList<string> KilledAt
    {
        get
        {
            lock (gate)
            {
                return [.. killedAt];
            }
        }
    }

    /// <summary>Every step that landed, by any process, in order: what a run without kills goes through.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (gate)
            {
                return [.. seen];
            }
        }
    }

    /// <summary>Told of each answered request of <paramref name="process"/>; true when it must die now.</summary>
    public bool KillAfter(ServiceProcess process, ProxiedRequest request, int status)
    {
        if (status is < 200 or > 299 || LifeSteps.Of(request) is not { } step)
        {
            return false;
        }

        lock (gate)
        {
            seen.Add(step);
            if (killed.Contains(process) || killedAt.Count >= steps.Count || steps[killedAt.Count] != step)
            {
                return false;
            }

            killedAt.Add(step);
            killed.Add(process);
            return true;
        }
    }
}
