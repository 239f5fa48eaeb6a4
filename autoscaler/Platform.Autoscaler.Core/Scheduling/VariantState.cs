namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>What the solver has learned about one variant of one pod group: pool fits, dead bins, topology groups.</summary>
internal sealed class VariantState(Variant variant, PoolFit[] pools)
{
    private readonly HashSet<int> dead = [];

    public Variant Variant { get; } = variant;

    public PoolFit[] Pools { get; } = pools;

    public List<TopologyGroup> Spreads { get; } = [];

    public List<TopologyGroup> Affinities { get; } = [];

    public List<TopologyGroup> AntiAffinities { get; } = [];

    /// <summary>Bins before this index are all dead for this variant.</summary>
    public int FirstAlive { get; private set; }

    public bool IsDead(int bin) => dead.Contains(bin);

    /// <summary>Marks a bin that can never take this variant (resources only fill, requirements only narrow).</summary>
    public void Kill(int bin)
    {
        dead.Add(bin);
        while (dead.Contains(FirstAlive))
        {
            FirstAlive++;
        }
    }
}

/// <summary>How a variant fits one pool: why not at all, or which of its types can take it alone and the cheapest price.</summary>
internal sealed record PoolFit(string? Reason, bool[] Compatible, double Standalone);
