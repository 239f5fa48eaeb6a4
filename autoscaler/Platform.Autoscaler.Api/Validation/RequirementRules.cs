using System.Globalization;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// Karpenter's rules for requirements: operator and values agree, keys are allowed, minValues is reachable. The schema
/// checks each value's syntax. As in Karpenter, Exists and DoesNotExist ignore any values they list.
/// </summary>
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

        if (requirement.Key is { } longKey && LabelRules.KeyLengthProblem(longKey) is { } lengthProblem)
        {
            yield return new(FieldPath.Child(path, "key"), lengthProblem);
        }

        switch (requirement.Operator)
        {
            case Operators.In when values.Count == 0:
                yield return new(FieldPath.Child(path, "values"), "requirements with operator 'In' must have a value defined");
                break;
            case Operators.In when requirement.Key is { } known && LabelRules.ValuesProblem(known, values) is { } valuesProblem:
                yield return new(FieldPath.Child(path, "values"), valuesProblem);
                break;
            case Operators.Gt or Operators.Lt or Operators.Gte or Operators.Lte
                when values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out _):
                yield return new(FieldPath.Child(path, "values"), $"requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value, got [{string.Join(", ", values)}]");
                break;
        }

        if (requirement.MinValues is { } min && requirement.Operator == Operators.In && values.Count < min)
        {
            yield return new(FieldPath.Child(path, "minValues"), $"requirements with 'minValues' must have at least that many values specified in the 'values' field: minValues is {min}, {values.Count} value(s) listed");
        }
    }
}
