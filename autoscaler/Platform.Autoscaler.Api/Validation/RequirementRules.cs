using System.Globalization;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>Karpenter's rules for requirements: operator and values agree, keys are allowed, minValues is reachable.</summary>
internal static class RequirementRules
{
    public static IEnumerable<FieldError> Validate(IList<NodeSelectorRequirementWithMinValues>? requirements, string path)
    {
        for (var i = 0; i < (requirements?.Count ?? 0); i++)
        {
            foreach (var error in Validate(requirements![i], FieldPath.Index(path, i)))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<FieldError> Validate(NodeSelectorRequirementWithMinValues requirement, string path)
    {
        var values = requirement.Values ?? [];
        if (requirement.Key is { } key && LabelRules.KeyProblem(key) is { } problem)
        {
            yield return new(FieldPath.Child(path, "key"), problem);
        }

        switch (requirement.Operator)
        {
            case Operators.In when values.Count == 0:
                yield return new(FieldPath.Child(path, "values"), "operator In needs at least one value");
                break;
            case Operators.Exists or Operators.DoesNotExist when values.Count > 0:
                yield return new(FieldPath.Child(path, "values"), $"operator {requirement.Operator} takes no values, got {values.Count}");
                break;
            case Operators.Gt or Operators.Lt or Operators.Gte or Operators.Lte
                when values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out _):
                yield return new(FieldPath.Child(path, "values"), $"operator {requirement.Operator} needs exactly one non-negative integer value, got [{string.Join(", ", values)}]");
                break;
        }

        for (var v = 0; v < values.Count; v++)
        {
            if (!LabelRules.IsValidValue(values[v]))
            {
                yield return new(FieldPath.Index(FieldPath.Child(path, "values"), v), $"invalid label value \"{values[v]}\": {PatternHints.Describe(Patterns.LabelValue)}");
            }
        }

        if (requirement.MinValues is { } min)
        {
            if (requirement.Operator != Operators.In && requirement.Operator != Operators.Exists)
            {
                yield return new(FieldPath.Child(path, "minValues"), $"minValues applies to operators In and Exists, not {requirement.Operator}");
            }
            else if (requirement.Operator == Operators.In && values.Count < min)
            {
                yield return new(FieldPath.Child(path, "minValues"), $"minValues is {min} but only {values.Count} values are listed; list at least {min} values or lower minValues");
            }
        }
    }
}
