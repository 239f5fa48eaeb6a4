using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// Counts of pods matching one selector per domain of one topology key, shared by every pod that carries the same
/// constraint. For anti-affinity it also counts where the constraint's owners are, because Kubernetes keeps
/// a pod away from owners whose anti-affinity it matches (the inverse direction).
/// </summary>
internal sealed class TopologyGroup(TopologyKind kind, string key, LabelSelector selector, NamespaceFilter namespaces, int maxSkew, int? minDomains = null)
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> owners = new(StringComparer.Ordinal);

    public TopologyKind Kind { get; } = kind;

    public string Key { get; } = key;

    public int MaxSkew { get; } = maxSkew;

    /// <summary>Spreads: while fewer domains than this are eligible, the global minimum is taken as 0.</summary>
    public int? MinDomains { get; } = minDomains;

    /// <summary>Domains pods of the group may land in (zones the pools and nodes offer); hostname groups leave it empty.</summary>
    public HashSet<string> Domains { get; } = new(StringComparer.Ordinal);

    public bool IsHostname => Key == Api.WellKnownLabels.Hostname;

    public int TotalMatches { get; private set; }

    public bool Selects(Pod pod) => namespaces.Contains(pod.Namespace) && selector.Matches(pod.Labels);

    public int Count(string domain) => counts.GetValueOrDefault(domain);

    public int OwnerCount(string domain) => owners.GetValueOrDefault(domain);

    public void Record(string domain)
    {
        counts[domain] = counts.GetValueOrDefault(domain) + 1;
        TotalMatches++;
    }

    public void RecordOwner(string domain) => owners[domain] = owners.GetValueOrDefault(domain) + 1;

    /// <summary>Whether some domain the requirement allows (any domain when null) holds a matching pod.</summary>
    public bool AnyMatchIn(Requirement? allowed)
    {
        if (allowed is null || TotalMatches == 0)
        {
            return TotalMatches > 0;
        }

        foreach (var (domain, count) in counts)
        {
            if (count > 0 && allowed.Allows(domain))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The smallest count among the eligible domains: 0 for hostname (a new node is always a fresh domain), and 0
    /// while fewer domains than minDomains are eligible, as kube-scheduler and Karpenter count it.
    /// </summary>
    public int MinCount(IReadOnlyCollection<string> eligible)
    {
        if (IsHostname || (MinDomains is { } minDomains && eligible.Count < minDomains))
        {
            return 0;
        }

        var min = int.MaxValue;
        foreach (var domain in eligible)
        {
            min = Math.Min(min, Count(domain));
        }

        return min == int.MaxValue ? 0 : min;
    }

    /// <summary>Whether one more matching pod in the domain keeps the spread within maxSkew.</summary>
    public bool SpreadAllows(string domain, int minCount) => Count(domain) + 1 - minCount <= MaxSkew;
}
