namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// One condition: operator, key and the values it allows (ORed), as the IAM User Guide's condition reference defines
/// them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html and
/// ..._condition-single-vs-multi-valued-context-keys.html). The operators are the string ones, Null and Bool, each with
/// IfExists and the ForAllValues/ForAnyValue set qualifiers; any other is refused when the policy is read, so a policy
/// cannot pass by using one this evaluator does not know.
/// </summary>
public sealed record IamCondition(string Operator, string Key, IReadOnlyList<string> Values, string? SetQualifier, string BaseOperator, bool IfExists)
{
    private static readonly HashSet<string> Negated = new(StringComparer.Ordinal) { "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike" };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "Null", "Bool",
    };

    /// <summary>Splits "ForAllValues:StringEqualsIfExists" into its parts; refuses what is not implemented.</summary>
    public static IamCondition Create(string op, string key, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(values);
        var colon = op.IndexOf(':', StringComparison.Ordinal);
        var qualifier = colon < 0 ? null : op[..colon];
        if (qualifier is not (null or "ForAllValues" or "ForAnyValue"))
        {
            throw new NotSupportedException($"condition operator {op}: unknown set qualifier {qualifier}");
        }

        var rest = colon < 0 ? op : op[(colon + 1)..];
        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal) && rest != "IfExists";
        var baseOperator = ifExists ? rest[..^"IfExists".Length] : rest;
        if (!Supported.Contains(baseOperator) || (baseOperator == "Null" && (ifExists || qualifier is not null)))
        {
            throw new NotSupportedException($"condition operator {op} is not implemented by the contract's evaluator; implement it before the policy uses it");
        }

        if (values.Any(v => v.Contains("${", StringComparison.Ordinal)))
        {
            throw new NotSupportedException($"condition {op} {key}: policy variables are not implemented by the contract's evaluator");
        }

        if (qualifier is null && AuthorizationRequest.MultivaluedKeys.Contains(key))
        {
            throw new NotSupportedException($"condition {op} {key}: {key} is multivalued; use ForAllValues or ForAnyValue");
        }

        return new IamCondition(op, key, values, qualifier, baseOperator, ifExists);
    }

    /// <summary>Whether the condition holds for the request context.</summary>
    public bool Holds(IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var present = context.TryGetValue(Key, out var actual) && actual.Count > 0;
        if (BaseOperator == "Null")
        {
            return Values.Any(v => string.Equals(v, present ? "false" : "true", StringComparison.OrdinalIgnoreCase));
        }

        if (!present)
        {
            // A missing key: IfExists and ForAllValues (over the empty set) hold, a negated operator holds, anything else fails.
            return IfExists || SetQualifier == "ForAllValues" || (SetQualifier is null && Negated.Contains(BaseOperator));
        }

        return SetQualifier switch
        {
            "ForAllValues" => actual!.All(ValueMatches),
            "ForAnyValue" => actual!.Any(ValueMatches),
            _ => ValueMatches(actual![0]),
        };
    }

    /// <summary>The condition as the policy writes it.</summary>
    public override string ToString() => $"{Operator} {Key} [{string.Join(", ", Values)}]";

    /// <summary>Whether one context value satisfies the operator against the policy's values (ORed; negations: none match).</summary>
    private bool ValueMatches(string actual)
    {
        bool Positive(string wanted) => BaseOperator switch
        {
            "StringEquals" or "StringNotEquals" => string.Equals(wanted, actual, StringComparison.Ordinal),
            "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase" => string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase),
            "StringLike" or "StringNotLike" => Glob.Matches(wanted, actual, ignoreCase: false),
            "Bool" => string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase),
            _ => throw new InvalidOperationException(BaseOperator),
        };

        return Negated.Contains(BaseOperator) ? !Values.Any(Positive) : Values.Any(Positive);
    }
}
