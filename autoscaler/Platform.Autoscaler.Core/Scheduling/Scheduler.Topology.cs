using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Every value each topology key can take: zones and capacity types from the offerings, labels of nodes.</summary>
    private void BuildDomainUniverse()
    {
        HashSet<string> Universe(string key)
        {
            if (!domainUniverse.TryGetValue(key, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                domainUniverse[key] = set;
            }

            return set;
        }

        foreach (var pool in pools)
        {
            foreach (var (zone, capacityType) in pool.Cached.Domains)
            {
                Universe(WellKnownLabels.Zone).Add(zone);
                Universe(WellKnownLabels.CapacityType).Add(capacityType);
            }
        }

        foreach (var node in input.Nodes)
        {
            foreach (var (key, value) in node.Labels)
            {
                if (key is WellKnownLabels.Zone or WellKnownLabels.CapacityType)
                {
                    Universe(key).Add(value);
                }
            }
        }
    }

    private IReadOnlyCollection<string> UniverseOf(string key) =>
        domainUniverse.TryGetValue(key, out var set) ? set : (IReadOnlyCollection<string>)[];

    private TopologyGroup Group(TopologyKind kind, string key, LabelSelector selector, IReadOnlyList<string> namespaces, string ownNamespace, int maxSkew)
    {
        var spaces = namespaces.Count == 0 ? [ownNamespace] : namespaces;
        var id = $"{kind}|{key}|{selector.Key}|{string.Join(",", spaces.Order(StringComparer.Ordinal))}|{maxSkew}";
        if (!topologyGroups.TryGetValue(id, out var group))
        {
            group = new TopologyGroup(kind, key, selector, spaces.ToHashSet(StringComparer.Ordinal), maxSkew);
            foreach (var domain in UniverseOf(key))
            {
                group.Domains.Add(domain);
            }

            topologyGroups[id] = group;
        }

        return group;
    }

    private void RegisterTopology(Pod pod, Variant variant, VariantState state)
    {
        foreach (var spread in variant.Spreads)
        {
            state.Spreads.Add(Group(TopologyKind.Spread, spread.TopologyKey, spread.Selector, [], pod.Namespace, spread.MaxSkew));
        }

        foreach (var term in variant.Affinity)
        {
            state.Affinities.Add(Group(TopologyKind.Affinity, term.TopologyKey, term.Selector, term.Namespaces, pod.Namespace, 0));
        }

        foreach (var term in variant.AntiAffinity)
        {
            state.AntiAffinities.Add(Group(TopologyKind.AntiAffinity, term.TopologyKey, term.Selector, term.Namespaces, pod.Namespace, 0));
        }
    }

    /// <summary>Counts a pod already on a node toward every group that selects it, and its anti-affinity as owner.</summary>
    private void CountExisting(Bin bin, Pod pod)
    {
        foreach (var term in pod.AntiAffinity)
        {
            var group = Group(TopologyKind.AntiAffinity, term.TopologyKey, term.Selector, term.Namespaces, pod.Namespace, 0);
            if (bin.Domain(group.Key) is { } domain)
            {
                group.RecordOwner(domain);
            }
        }

        foreach (var group in topologyGroups.Values)
        {
            if (group.Selects(pod) && bin.Domain(group.Key) is { } domain)
            {
                group.Record(domain);
            }
        }
    }

    private void LinkCounting(PodGroup podGroup)
    {
        foreach (var group in topologyGroups.Values)
        {
            if (group.Selects(podGroup.Template))
            {
                podGroup.CountedBy.Add(group);
                if (group.Kind == TopologyKind.AntiAffinity)
                {
                    podGroup.RepelledBy.Add(group);
                }
            }
        }
    }

    /// <summary>
    /// Checks the pod's spreads and (anti-)affinities against a bin (null: a fresh claim). A bin whose domain is still
    /// open is narrowed to the domains that keep every constraint. A failure on a hostname count that can only grow
    /// (anti-affinity, an owner's anti-affinity, a full spread) is permanent for the bin.
    /// </summary>
    private (string? Reason, bool Permanent) Restrict(Bin? bin, Requirements requirements, Pod pod, PodGroup group, VariantState state, out Requirements? narrowed)
    {
        narrowed = null;
        if (!state.HasTopology && group.RepelledBy.Count == 0)
        {
            return (null, false);
        }

        var current = requirements;

        // Returns null when allowed; otherwise the reason. Narrows an open domain to the chosen allowed value.
        string? Apply(TopologyGroup topology, Func<string, bool> allowed, bool preferLeastCount, string what)
        {
            if (topology.IsHostname)
            {
                return allowed(bin?.Name ?? "") ? null : what;
            }

            var domain = bin?.Node is not null ? bin.Domain(topology.Key) : SingleValue(current, topology.Key);
            if (domain is not null)
            {
                return allowed(domain) ? null : what;
            }

            var requirement = current.Get(topology.Key);
            string? chosen = null;
            foreach (var candidate in SortedUniverse(topology.Key))
            {
                if ((requirement?.Allows(candidate) ?? true) && allowed(candidate)
                    && (chosen is null || preferLeastCount && topology.Count(candidate) < topology.Count(chosen)))
                {
                    chosen = candidate;
                    if (!preferLeastCount)
                    {
                        break;
                    }
                }
            }

            if (chosen is null)
            {
                return what;
            }

            current = current.Intersect(new Requirements([Requirement.In(topology.Key, chosen)]));
            return null;
        }

        for (var i = 0; i < state.Spreads.Count; i++)
        {
            var spread = state.Spreads[i];
            var eligible = state.Eligible(i, () => EligibleDomains(spread, state.Variant.Requirements));
            var min = spread.MinCount(eligible);
            var problem = Apply(spread,
                d => spread.IsHostname ? spread.Count(d) + 1 <= spread.MaxSkew : eligible.Contains(d) && spread.SpreadAllows(d, min),
                preferLeastCount: true,
                $"topology spread on {spread.Key} (maxSkew {spread.MaxSkew}) cannot be kept");
            if (problem is not null)
            {
                return (problem, spread.IsHostname && bin is not null);
            }
        }

        foreach (var affinity in state.Affinities)
        {
            // The first of a self-selecting group may go anywhere, but its domain is pinned so the rest can follow.
            var first = affinity.TotalMatches == 0 && affinity.Selects(pod);
            var problem = Apply(affinity, d => first || affinity.Count(d) > 0, preferLeastCount: false,
                $"pod affinity on {affinity.Key}: no domain holds a matching pod");
            if (problem is not null)
            {
                return (problem, false);
            }
        }

        foreach (var anti in state.AntiAffinities)
        {
            var problem = Apply(anti, d => anti.Count(d) == 0, preferLeastCount: false,
                $"pod anti-affinity on {anti.Key}: every domain holds a matching pod");
            if (problem is not null)
            {
                return (problem, anti.IsHostname && bin is not null);
            }
        }

        foreach (var owner in group.RepelledBy)
        {
            var problem = Apply(owner, d => owner.OwnerCount(d) == 0, preferLeastCount: false,
                $"another pod's anti-affinity on {owner.Key} excludes it");
            if (problem is not null)
            {
                return (problem, owner.IsHostname && bin is not null);
            }
        }

        narrowed = ReferenceEquals(current, requirements) ? null : current;
        return (null, false);
    }

    private IReadOnlyList<string> SortedUniverse(string key)
    {
        if (!sortedUniverse.TryGetValue(key, out var sorted))
        {
            sorted = [.. UniverseOf(key).Order(StringComparer.Ordinal)];
            sortedUniverse[key] = sorted;
        }

        return sorted;
    }

    private HashSet<string> EligibleDomains(TopologyGroup spread, Requirements podRequirements)
    {
        var requirement = podRequirements.Get(spread.Key);
        return spread.Domains.Where(d => requirement?.Allows(d) ?? true).ToHashSet(StringComparer.Ordinal);
    }

    private static string? SingleValue(Requirements requirements, string key) =>
        requirements.Get(key) is { Complement: false, Values.Count: 1 } r ? r.Values.First() : null;

    /// <summary>Records a placement: the bin's pods, the placement, and every topology count it changes.</summary>
    private void Commit(Bin bin, Pod pod, PodGroup group, VariantState state)
    {
        bin.Pods.Add(pod);
        placements.Add(new PodPlacement(pod, bin.Name, bin.IsNew));
        foreach (var topology in group.CountedBy)
        {
            if (bin.Domain(topology.Key) is { } domain)
            {
                topology.Record(domain);
            }
            else
            {
                bin.Pending.Add((topology, false));
            }
        }

        foreach (var anti in state.AntiAffinities)
        {
            if (bin.Domain(anti.Key) is { } domain)
            {
                anti.RecordOwner(domain);
            }
            else
            {
                bin.Pending.Add((anti, true));
            }
        }

        // Counts deferred while the claim's zone (or capacity type) was open are made once it is decided.
        for (var i = bin.Pending.Count - 1; i >= 0; i--)
        {
            var (topology, isOwner) = bin.Pending[i];
            if (bin.Domain(topology.Key) is not { } decided)
            {
                continue;
            }

            if (isOwner)
            {
                topology.RecordOwner(decided);
            }
            else
            {
                topology.Record(decided);
            }

            bin.Pending.RemoveAt(i);
        }
    }
}
