using System.Globalization;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// The values one label may take: a set of allowed values, or (complement) every value but a set of excluded ones,
/// optionally bounded by integer limits. In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte and Lte all reduce to this
/// form, so intersecting requirements is intersecting sets.
/// </summary>
public sealed record Requirement
{
    private static readonly IReadOnlySet<string> EmptySet = System.Collections.Frozen.FrozenSet<string>.Empty;

    private Requirement(string key, bool complement, IReadOnlySet<string> values, long? greaterThan, long? lessThan, int? minValues)
    {
        Key = key;
        Complement = complement;
        Values = values;
        GreaterThan = greaterThan;
        LessThan = lessThan;
        MinValues = minValues;
    }

    /// <summary>The label key.</summary>
    public string Key { get; }

    /// <summary>When true, <see cref="Values"/> are excluded and every other value is allowed.</summary>
    public bool Complement { get; }

    /// <summary>The allowed values, or the excluded ones when <see cref="Complement"/>.</summary>
    public IReadOnlySet<string> Values { get; }

    /// <summary>Values must be integers strictly greater than this.</summary>
    public long? GreaterThan { get; }

    /// <summary>Values must be integers strictly less than this.</summary>
    public long? LessThan { get; }

    /// <summary>The least number of distinct values that must remain possible (Karpenter's minValues).</summary>
    public int? MinValues { get; }

    /// <summary>Exactly these values.</summary>
    public static Requirement In(string key, params IEnumerable<string> values) => new(key, false, values.ToHashSet(StringComparer.Ordinal), null, null, null);

    /// <summary>Any value but these.</summary>
    public static Requirement NotIn(string key, params IEnumerable<string> values) => new(key, true, values.ToHashSet(StringComparer.Ordinal), null, null, null);

    /// <summary>The label must be absent.</summary>
    public static Requirement DoesNotExist(string key) => new(key, false, EmptySet, null, null, null);

    /// <summary>Builds the requirement an API requirement (or a node selector term) expresses.</summary>
    public static Requirement From(string key, string op, IEnumerable<string>? values, int? minValues = null)
    {
        var list = values?.ToList() ?? [];
        return op switch
        {
            Operators.In => new(key, false, list.ToHashSet(StringComparer.Ordinal), null, null, minValues),
            Operators.NotIn => new(key, true, list.ToHashSet(StringComparer.Ordinal), null, null, minValues),
            Operators.Exists => new(key, true, EmptySet, null, null, minValues),
            Operators.DoesNotExist => new(key, false, EmptySet, null, null, minValues),
            Operators.Gt => new(key, true, EmptySet, Parse(list), null, minValues),
            Operators.Gte => new(key, true, EmptySet, Parse(list) - 1, null, minValues),
            Operators.Lt => new(key, true, EmptySet, null, Parse(list), minValues),
            Operators.Lte => new(key, true, EmptySet, null, Parse(list) + 1, minValues),
            _ => throw new ArgumentException($"unsupported operator {op} for {key}", nameof(op)),
        };
    }

    /// <summary>
    /// True when a node without the label satisfies this: NotIn and DoesNotExist, as in Kubernetes node affinity.
    /// Exists (complement of nothing), Gt and Lt need the label.
    /// </summary>
    public bool AllowsAbsent => Complement ? Values.Count > 0 && GreaterThan is null && LessThan is null : Values.Count == 0;

    /// <summary>True when no value is allowed (DoesNotExist, or an empty intersection).</summary>
    public bool AllowsNoValue => !Complement && Values.Count == 0;

    /// <summary>Whether a node whose label has this value (null: no such label) satisfies the requirement.</summary>
    public bool Admits(string? value) => value is null ? AllowsAbsent : Allows(value);

    /// <summary>Whether the label may take this value.</summary>
    public bool Allows(string value) => (Complement ? !Values.Contains(value) : Values.Contains(value)) && WithinBounds(value);

    /// <summary>The values both requirements allow; minValues keeps the larger.</summary>
    public Requirement Intersect(Requirement other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        if (other.Key != Key)
        {
            throw new ArgumentException($"cannot intersect {Key} with {other.Key}", nameof(other));
        }

        var greater = Max(GreaterThan, other.GreaterThan);
        var less = Min(LessThan, other.LessThan);
        var minValues = Max(MinValues, other.MinValues) is { } m ? (int)m : (int?)null;
        IReadOnlySet<string> values;
        bool complement;
        switch (Complement, other.Complement)
        {
            case (true, true):
                complement = true;
                values = Values.Concat(other.Values).ToHashSet(StringComparer.Ordinal);
                break;
            case (false, false):
                complement = false;
                values = Values.Where(other.Values.Contains).ToHashSet(StringComparer.Ordinal);
                break;
            default:
                var (allowed, excluded) = Complement ? (other.Values, Values) : (Values, other.Values);
                complement = false;
                values = allowed.Where(v => !excluded.Contains(v)).ToHashSet(StringComparer.Ordinal);
                break;
        }

        if (!complement && (greater is not null || less is not null))
        {
            values = values.Where(v => InBounds(v, greater, less)).ToHashSet(StringComparer.Ordinal);
            (greater, less) = (null, null);
        }

        return new(Key, complement, values, greater, less, minValues);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (!Complement)
        {
            return Values.Count == 0 ? $"{Key} DoesNotExist" : $"{Key} In [{string.Join(", ", Values.Order(StringComparer.Ordinal))}]";
        }

        var parts = new List<string>();
        if (Values.Count > 0)
        {
            parts.Add($"NotIn [{string.Join(", ", Values.Order(StringComparer.Ordinal))}]");
        }

        if (GreaterThan is { } g)
        {
            parts.Add($"Gt {g}");
        }

        if (LessThan is { } l)
        {
            parts.Add($"Lt {l}");
        }

        return parts.Count == 0 ? $"{Key} Exists" : $"{Key} {string.Join(" and ", parts)}";
    }

    private bool WithinBounds(string value) => InBounds(value, GreaterThan, LessThan);

    private static bool InBounds(string value, long? greater, long? less)
    {
        if (greater is null && less is null)
        {
            return true;
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            && (greater is not { } g || n > g) && (less is not { } l || n < l);
    }

    private static long Parse(List<string> values) =>
        values.Count == 1 && long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"numeric operators need one integer value, got [{string.Join(", ", values)}]", nameof(values));

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
