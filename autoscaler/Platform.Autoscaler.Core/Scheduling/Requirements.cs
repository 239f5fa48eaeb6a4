namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// A conjunction of requirements, one per label key. Intersecting two sets intersects their requirements key by key;
/// a set is satisfiable while no requirement has become empty.
/// </summary>
public sealed class Requirements : IEquatable<Requirements>
{
    private readonly Dictionary<string, Requirement> byKey;

    /// <summary>No requirement.</summary>
    public static Requirements None { get; } = new([]);

    /// <summary>Combines requirements; several on one key are intersected.</summary>
    public Requirements(IEnumerable<Requirement> requirements)
    {
        var map = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        foreach (var requirement in requirements)
        {
            map[requirement.Key] = map.TryGetValue(requirement.Key, out var existing) ? existing.Intersect(requirement) : requirement;
        }

        byKey = map;
    }

    /// <summary>Requirements that pin each label to its one value (an instance type's or a node's labels).</summary>
    public static Requirements FromLabels(IEnumerable<KeyValuePair<string, string>> labels) =>
        new(labels.Select(kv => Requirement.In(kv.Key, kv.Value)));

    /// <summary>The keys constrained.</summary>
    public IEnumerable<string> Keys => byKey.Keys;

    /// <summary>All requirements.</summary>
    public IEnumerable<Requirement> All => byKey.Values;

    /// <summary>The requirement on a key, or null when unconstrained.</summary>
    public Requirement? Get(string key) => byKey.GetValueOrDefault(key);

    /// <summary>Both sets together.</summary>
    public Requirements Intersect(Requirements other)
    {
        if (other.byKey.Count == 0 || ReferenceEquals(this, other))
        {
            return this;
        }

        if (byKey.Count == 0)
        {
            return other;
        }

        // Most intersections repeat a constraint the set already holds; keep the instance then.
        if (other.byKey.All(kv => byKey.TryGetValue(kv.Key, out var mine) && ReferenceEquals(mine, kv.Value)))
        {
            return this;
        }

        return new([.. byKey.Values, .. other.byKey.Values]);
    }

    /// <summary>The first requirement that admits no value though it must have one, or null when satisfiable.</summary>
    public Requirement? FirstEmpty() => byKey.Values.FirstOrDefault(r => r is { Complement: false, Values.Count: 0 } && !r.AllowsAbsent);

    /// <summary>
    /// Why a pod needing <paramref name="needed"/> could not land on a node offering <paramref name="offered"/>, or null
    /// when it can. A key the node side leaves open is fine when <paramref name="undefinedKeyAllowed"/> says the
    /// label will be set later (well-known labels of a new instance); otherwise the label will be absent.
    /// </summary>
    public static string? Conflict(Requirements needed, Requirements offered, Func<string, bool> undefinedKeyAllowed)
    {
        foreach (var need in needed.byKey.Values)
        {
            var offer = offered.Get(need.Key);
            if (offer is null)
            {
                if (!need.AllowsAbsent && !undefinedKeyAllowed(need.Key))
                {
                    return $"requires {need}, nodes have no label {need.Key}";
                }

                continue;
            }

            var both = need.Intersect(offer);
            var empty = both is { Complement: false, Values.Count: 0 };
            // An empty intersection is fine only when both sides accept the label being absent.
            if (empty && !(need.AllowsAbsent && offer.AllowsAbsent))
            {
                return $"requires {need}, nodes offer {offer}";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(Requirements? other) =>
        other is not null && other.byKey.Count == byKey.Count
        && byKey.All(kv => other.byKey.TryGetValue(kv.Key, out var o) && o.ToString() == kv.Value.ToString());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Requirements);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => string.Join("; ", byKey.Values.Select(r => r.ToString()).Order(StringComparer.Ordinal));
}
