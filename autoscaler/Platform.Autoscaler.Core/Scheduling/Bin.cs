using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>A place pods can go during a solve: an existing node, or a NodeClaim this solve opened.</summary>
internal sealed class Bin
{
    private readonly Dictionary<string, string?> domains = new(StringComparer.Ordinal);

    /// <summary>An existing node or in-flight claim.</summary>
    public Bin(int index, ClusterNode node, Requirements requirements, long[] allocatable, long[] used)
    {
        Index = index;
        Node = node;
        Name = node.Name;
        Requirements = requirements;
        Taints = node.Taints;
        Allocatable = allocatable;
        Used = used;
        Options = [];
        Reservation = [];
    }

    /// <summary>A new claim of a pool.</summary>
    public Bin(int index, string name, PoolState pool, Requirements requirements, List<int> options, double cheapestPrice, long[] used, long[] reservation)
    {
        Index = index;
        Name = name;
        Pool = pool;
        Requirements = requirements;
        Taints = pool.Template.Taints;
        Allocatable = [];
        Used = used;
        Reservation = reservation;
        Options = options;
        CheapestPrice = cheapestPrice;
    }

    public int Index { get; }

    public string Name { get; }

    public ClusterNode? Node { get; }

    public PoolState? Pool { get; }

    public bool IsNew => Pool is not null;

    public Requirements Requirements { get; set; }

    public IReadOnlyList<Taint> Taints { get; }

    /// <summary>Existing nodes: what pods may use. New claims use their options' allocatable.</summary>
    public long[] Allocatable { get; }

    /// <summary>Requests placed (and, for new claims, the pool's daemonset overhead).</summary>
    public long[] Used { get; }

    /// <summary>New claims: indices into the pool's types that still fit, cheapest first.</summary>
    public List<int> Options
    {
        get;
        set
        {
            field = value;
            if (Pool is { } pool && value.Count > 0)
            {
                MaxAllocatable = (long[])pool.Allocatable[value[0]].Clone();
                MinAllocatable = (long[])pool.Allocatable[value[0]].Clone();
                foreach (var t in value)
                {
                    var allocatable = pool.Allocatable[t];
                    for (var r = 0; r < allocatable.Length; r++)
                    {
                        MaxAllocatable[r] = Math.Max(MaxAllocatable[r], allocatable[r]);
                        MinAllocatable[r] = Math.Min(MinAllocatable[r], allocatable[r]);
                    }
                }
            }
        }
    }

    /// <summary>New claims: the most of each resource any option offers; more than this never fits.</summary>
    public long[] MaxAllocatable { get; private set; } = [];

    /// <summary>New claims: the least of each resource every option offers; up to this, every option still fits.</summary>
    public long[] MinAllocatable { get; private set; } = [];

    /// <summary>
    /// New claims: the price of the cheapest option under the requirements, set wherever either is (opening, growing,
    /// re-packing). Every pod that tries a claim compares against it, so it is kept rather than found again each time.
    /// </summary>
    public double CheapestPrice { get; set; }

    /// <summary>New claims: the capacity counted against the pool's limits (its cheapest option's).</summary>
    public long[] Reservation { get; set; }

    public List<Pod> Pods { get; } = [];

    /// <summary>Counts waiting for the claim's domain of their key to be decided (owner: an anti-affinity owner count).</summary>
    public List<(TopologyGroup Group, bool Owner)> Pending { get; } = [];

    /// <summary>The bin's domain for a topology key, or null while a new claim still allows several values.</summary>
    public string? Domain(string key)
    {
        if (key == WellKnownLabels.Hostname)
        {
            return Name;
        }

        if (Node is not null)
        {
            return Node.Labels.GetValueOrDefault(key);
        }

        if (!domains.TryGetValue(key, out var domain))
        {
            var requirement = Requirements.Get(key);
            domain = requirement is { Complement: false, Values.Count: 1 } ? requirement.Values.First() : null;
            domains[key] = domain;
        }

        return domain;
    }

    public void ForgetDomains() => domains.Clear();
}
