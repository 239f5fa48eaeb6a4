namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>What the solver has learned about one variant of one pod group: pool fits, dead bins, topology groups.</summary>
internal sealed class VariantState(Variant variant, PoolFit[] pools)
{
    private readonly List<bool> dead = [];
    private readonly Dictionary<int, HashSet<string>> eligible = [];

    public Variant Variant { get; } = variant;

    public PoolFit[] Pools { get; } = pools;

    public List<TopologyGroup> Spreads { get; } = [];

    public List<TopologyGroup> Affinities { get; } = [];

    public List<TopologyGroup> AntiAffinities { get; } = [];

    /// <summary>Bins before this index are all dead for this variant.</summary>
    public int FirstAlive { get; private set; }

    /// <summary>Whether the variant has any spread or pod (anti-)affinity to check.</summary>
    public bool HasTopology => Spreads.Count > 0 || Affinities.Count > 0 || AntiAffinities.Count > 0;

    public bool IsDead(int bin) => bin < dead.Count && dead[bin];

    /// <summary>Marks a bin that can never take this variant (resources only fill, requirements only narrow).</summary>
    public void Kill(int bin)
    {
        while (dead.Count <= bin)
        {
            dead.Add(false);
        }

        dead[bin] = true;
        while (IsDead(FirstAlive))
        {
            FirstAlive++;
        }
    }

    /// <summary>The domains a spread may use for this variant, computed once.</summary>
    public HashSet<string> Eligible(int spread, Func<HashSet<string>> compute)
    {
        if (!eligible.TryGetValue(spread, out var domains))
        {
            domains = compute();
            eligible[spread] = domains;
        }

        return domains;
    }
}

/// <summary>How a variant fits one pool: why not at all, or which of its types can take it alone and the cheapest price.</summary>
internal sealed record PoolFit(string? Reason, bool[] Compatible, double Standalone)
{
    /// <summary>Every type of the pool takes the variant alone, so filtering by compatibility changes nothing.</summary>
    public bool AllCompatible { get; } = Reason is null && Compatible.All(c => c);
}
