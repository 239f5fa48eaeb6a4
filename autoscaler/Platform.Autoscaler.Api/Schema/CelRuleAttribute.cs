namespace Platform.Autoscaler.Api;

/// <summary>
/// A CEL rule the generated CRD carries on this field (or, on a class, on every object of the type), so the API
/// server refuses what the validator refuses. The validator implements the same rule in C#; the real-API-server
/// tests compare the two verdicts.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    /// <summary>The rule and its message.</summary>
    public CelRule Value { get; } = new(rule, message);
}
