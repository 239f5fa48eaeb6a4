using System.Globalization;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>Karpenter's rules for requirements: operator and values agree, keys are allowed, minValues is reachable.</summary>
internal static class RequirementRules
{
    /// <param name="requirements">The requirements.</param>
    /// <param name="path">Their field path.</param>
    /// <param name="ownedByNodePool">NodeClaims carry the karpenter.sh/nodepool requirement their pool gave them; NodePools may not.</param>
    public static IEnumerable<FieldError> Validate(IList<NodeSelectorRequirementWithMinValues>? requirements, string path, bool ownedByNodePool = false)
    {
        for (var i = 0; i < (requirements?.Count ?? 0); i++)
        {
            foreach (var error in Validate(requirements![i], FieldPath.Index(path, i), ownedByNodePool))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<FieldError> Validate(NodeSelectorRequirementWithMinValues requirement, string path, bool ownedByNodePool)
    {
        var values = requirement.Values ?? [];
        if (requirement.Key is { } key && !(ownedByNodePool && key == WellKnownLabels.NodePool) && LabelRules.KeyProblem(key) is { } problem)
        {
            yield return new(FieldPath.Child(path, "key"), problem);
        }

        switch (requirement.Operator)
        {
            case Operators.In when values.Count == 0:
                yield return new(FieldPath.Child(path, "values"), "requirements with operator 'In' must have a value defined");
                break;
            case Operators.In when requirement.Key is { } known && LabelRules.ValuesProblem(known, values) is { } valuesProblem:
                yield return new(FieldPath.Child(path, "values"), valuesProblem);
                break;
            case Operators.Exists or Operators.DoesNotExist when values.Count > 0:
                yield return new(FieldPath.Child(path, "values"), $"operator {requirement.Operator} takes no values, got {values.Count} (a node selector with values and {requirement.Operator} never matches)");
                break;
            case Operators.Gt or Operators.Lt or Operators.Gte or Operators.Lte
                when values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out _):
                yield return new(FieldPath.Child(path, "values"), $"requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value, got [{string.Join(", ", values)}]");
                break;
        }

        for (var v = 0; v < values.Count; v++)
        {
            if (!LabelRules.IsValidValue(values[v]))
            {
                yield return new(FieldPath.Index(FieldPath.Child(path, "values"), v), $"invalid label value \"{values[v]}\": {PatternHints.Describe(Patterns.LabelValue)}");
            }
        }

        if (requirement.MinValues is { } min && requirement.Operator == Operators.In && values.Count < min)
        {
            yield return new(FieldPath.Child(path, "minValues"), $"requirements with 'minValues' must have at least that many values specified in the 'values' field: minValues is {min}, {values.Count} value(s) listed");
        }
    }
}
