using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

/// <summary>
/// The CEL rules the CRDs carry for label keys and requirements: Karpenter v1's (restricted domains and labels,
/// operator and values, minValues), built from the label tables <see cref="LabelRules"/> holds, plus the checks
/// Karpenter makes only at run time (key syntax, values of labels with a closed set), so <c>kubectl apply</c>
/// refuses what <c>validate</c> refuses.
/// </summary>
public static class LabelCelRules
{
    /// <summary>Rules on a NodePool requirement's key (<c>self</c> is the key).</summary>
    public static IEnumerable<CelRule> NodePoolRequirementKey => [.. Key("self", nodePoolAllowed: false), .. KeyLengths("self")];

    /// <summary>Rules on a NodeClaim requirement's key: a NodeClaim carries the karpenter.sh/nodepool requirement its pool gave it.</summary>
    public static IEnumerable<CelRule> NodeClaimRequirementKey => [.. Key("self", nodePoolAllowed: true), .. KeyLengths("self")];

    /// <summary>Rules on a NodePool template's labels (<c>self</c> is the map).</summary>
    public static IEnumerable<CelRule> TemplateLabels =>
        Key("x", nodePoolAllowed: false).Concat(
        [
            new($"self.all(x, x.matches(r'{Patterns.QualifiedName}'))",
                "label keys must be qualified names: an optional DNS prefix and '/', then alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"),
            .. KeyLengths("x"),
        ]).Select(r => r.Rule.StartsWith("self.all(", StringComparison.Ordinal) ? r : r with { Rule = $"self.all(x, {r.Rule})" });

    /// <summary>Rules on a requirements list: operator and values agree, minValues is reachable, closed label sets are met.</summary>
    public static IEnumerable<CelRule> Requirements =>
    [
        new("self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)", "requirements with operator 'In' must have a value defined"),
        new("self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
            "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value"),
        new("self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
            "requirements with 'minValues' must have at least that many values specified in the 'values' field"),
        .. LabelRules.KnownValues.OrderBy(k => k.Key, StringComparer.Ordinal).Select(known => new CelRule(
            $"self.all(x, x.key == '{known.Key}' && x.operator == 'In' ? x.values.exists(v, v in {List(known.Value)}) : true)",
            $"requirements on {known.Key} with operator 'In' must list one of: {string.Join(", ", known.Value)}")),
    ];

    private static IEnumerable<CelRule> Key(string key, bool nodePoolAllowed)
    {
        var karpenter = WellKnownLabels.KarpenterGroup;
        var aws = WellKnownLabels.AwsGroup;
        yield return new($"{key} in {List([WellKnownLabels.CapacityType, WellKnownLabels.NodePool])} || !{key}.find(\"^([^/]+)\").endsWith(\"{karpenter}\")",
            $"label domain \"{karpenter}\" is restricted");
        if (!nodePoolAllowed)
        {
            yield return new($"{key} != \"{WellKnownLabels.NodePool}\"", $"label \"{WellKnownLabels.NodePool}\" is restricted");
        }

        yield return new($"{key} != \"{WellKnownLabels.Hostname}\"", $"label \"{WellKnownLabels.Hostname}\" is restricted");
        yield return new($"{key} in {List(LabelRules.AwsAllowed)} || !{key}.find(\"^([^/]+)\").endsWith(\"{aws}\")",
            $"label domain \"{aws}\" is restricted");
    }

    // The schema pattern cannot bound the parts: a DNS prefix of at most 253 characters, a name of at most 63.
    private static IEnumerable<CelRule> KeyLengths(string key) =>
    [
        new($"{key}.find(r'[^/]*$').size() <= 63", "the name part of a label key must be no more than 63 characters"),
        new($"{key}.find(r'^[^/]*/').size() <= 254", "the prefix part of a label key must be no more than 253 characters"),
    ];

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "]";
}
