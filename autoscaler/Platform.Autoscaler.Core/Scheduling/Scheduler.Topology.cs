using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Every value a topology key can take, found once per key: zones and capacity types from the pools' available
    /// offerings; for any other key, the values the pools' requirements and their types' labels allow (a NodePool's own
    /// label such as capacity-spread In [1..5], or kubernetes.io/arch); and, for every key, the labels of the nodes.
    /// </summary>
    private IReadOnlyCollection<string> UniverseOf(string key)
    {
        if (domainUniverse.TryGetValue(key, out var set))
        {
            return set;
        }

        set = new HashSet<string>(StringComparer.Ordinal);
        domainUniverse[key] = set;
        foreach (var pool in pools)
        {
            if (key is WellKnownLabels.Zone or WellKnownLabels.CapacityType)
            {
                foreach (var (zone, capacityType) in pool.Cached.Domains)
                {
                    set.Add(key == WellKnownLabels.Zone ? zone : capacityType);
                }
            }
            else if (key != WellKnownLabels.Hostname)
            {
                foreach (var offered in pool.Offered)
                {
                    if (offered.Get(key) is { Complement: false } requirement)
                    {
                        set.UnionWith(requirement.Values);
                    }
                }
            }
        }

        foreach (var node in input.Nodes)
        {
            if (key != WellKnownLabels.Hostname && node.Labels.TryGetValue(key, out var value))
            {
                set.Add(value);
            }
        }

        return set;
    }

    /// <summary>A namespace's labels: those the input gives, and the name label every namespace carries.</summary>
    private IReadOnlyDictionary<string, string> NamespaceLabels(string ns)
    {
        if (!namespaceLabels.TryGetValue(ns, out var labels))
        {
            var given = input.NamespaceLabels?.GetValueOrDefault(ns);
            labels = new Dictionary<string, string>(given ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [WellKnownLabels.NamespaceName] = ns,
            };
            namespaceLabels[ns] = labels;
        }

        return labels;
    }

    private TopologyGroup Group(TopologyKind kind, string key, LabelSelector selector, IReadOnlyList<string> namespaces, LabelSelector? namespaceSelector,
        string ownNamespace, int maxSkew, int? minDomains = null)
    {
        // Kubernetes: no namespaces and no namespaceSelector means the pod's own namespace.
        var spaces = namespaces.Count == 0 && namespaceSelector is null ? [ownNamespace] : namespaces;
        var id = $"{kind}|{key}|{selector.Key}|{string.Join(",", spaces.Order(StringComparer.Ordinal))}|{namespaceSelector?.Key}|{maxSkew}|{minDomains}";
        if (!topologyGroups.TryGetValue(id, out var group))
        {
            var filter = new NamespaceFilter(spaces.ToHashSet(StringComparer.Ordinal), namespaceSelector, NamespaceLabels);
            group = new TopologyGroup(kind, key, selector, filter, maxSkew, minDomains);
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
            state.Spreads.Add(Group(TopologyKind.Spread, spread.TopologyKey, spread.Selector, [], null, pod.Namespace, spread.MaxSkew, spread.MinDomains));
        }

        foreach (var term in variant.Affinity)
        {
            state.Affinities.Add(Group(TopologyKind.Affinity, term.TopologyKey, term.Selector, term.Namespaces, term.NamespaceSelector, pod.Namespace, 0));
        }

        foreach (var term in variant.AntiAffinity)
        {
            state.AntiAffinities.Add(Group(TopologyKind.AntiAffinity, term.TopologyKey, term.Selector, term.Namespaces, term.NamespaceSelector, pod.Namespace, 0));
        }
    }

    /// <summary>Counts a pod already on a node toward every group that selects it, and its anti-affinity as owner.</summary>
    private void CountExisting(Bin bin, Pod pod)
    {
        foreach (var term in pod.AntiAffinity)
        {
            var group = Group(TopologyKind.AntiAffinity, term.TopologyKey, term.Selector, term.Namespaces, term.NamespaceSelector, pod.Namespace, 0);
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

            if (bin?.Node is not null)
            {
                // A node without the label is in no domain: no spread or affinity can count it, nothing there repels.
                return topology.Kind == TopologyKind.AntiAffinity ? null : what;
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
            // Only required node affinity narrows the domains counted; a preferred term must not (Karpenter's
            // StrictRequirements), though the placement below still honours it while it is held.
            var eligible = state.Eligible(i, () => EligibleDomains(spread, state.Variant.StrictRequirements));
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
            // A pod its own term selects may start a domain while no domain it can use (by its required node affinity)
            // holds a match: so a pod pinned to an empty zone starts that zone. The domain is pinned so others follow.
            var first = affinity.Selects(pod) && !affinity.AnyMatchIn(state.Variant.StrictRequirements.Get(affinity.Key));
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
