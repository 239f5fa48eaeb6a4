namespace Platform.Autoscaler.Api.Validation;

/// <summary>Taint rules: well-formed keys and values, no key/effect pair twice (across taints and startup taints).</summary>
internal static class TaintRules
{
    public static IEnumerable<FieldError> Validate(IList<Taint>? taints, IList<Taint>? startupTaints, string specPath)
    {
        var seen = new HashSet<(string?, string?)>();
        foreach (var (list, field) in new[] { (taints, "taints"), (startupTaints, "startupTaints") })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var taint = list![i];
                var path = FieldPath.Index(FieldPath.Child(specPath, field), i);
                if (taint.Key is { } key && !LabelRules.IsValidKey(key))
                {
                    yield return new(FieldPath.Child(path, "key"), $"invalid taint key \"{key}\": {PatternHints.Describe(Patterns.QualifiedName)}");
                }

                if (!seen.Add((taint.Key, taint.Effect)))
                {
                    yield return new(path, $"duplicate taint {taint.Key}:{taint.Effect}; a key and effect pair may appear once across taints and startupTaints");
                }
            }
        }
    }
}
