using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Model;

/// <summary>A label selector: every matchLabels pair and every expression must hold. An empty selector matches everything.</summary>
public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelSelectorRequirement> MatchExpressions)
{
    /// <summary>Matches every set of labels.</summary>
    public static LabelSelector Everything { get; } = new(new Dictionary<string, string>(), []);

    /// <summary>Matches nothing: what a missing selector means in spreads and affinity terms.</summary>
    public static LabelSelector Nothing { get; } = new(new Dictionary<string, string>(), [new LabelSelectorRequirement("", "", [])]);

    /// <summary>A selector of matchLabels only.</summary>
    public static LabelSelector Of(params (string Key, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), []);

    /// <summary>Whether the labels satisfy the selector.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        MatchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && MatchExpressions.All(e => e.Matches(labels));

    /// <summary>A stable text form, used to recognise identical selectors.</summary>
    public string Key => string.Join(",", MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))
        + "|" + string.Join(",", MatchExpressions.Select(e => $"{e.Key} {e.Operator} [{string.Join(",", e.Values)}]").Order(StringComparer.Ordinal));
}

/// <summary>One matchExpressions entry: In, NotIn, Exists or DoesNotExist.</summary>
public sealed record LabelSelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether the labels satisfy the expression.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Operator switch
    {
        Operators.In => labels.TryGetValue(Key, out var v) && Values.Contains(v),
        Operators.NotIn => !labels.TryGetValue(Key, out var v) || !Values.Contains(v),
        Operators.Exists => labels.ContainsKey(Key),
        Operators.DoesNotExist => !labels.ContainsKey(Key),
        _ => false,
    };
}
