namespace Platform.Autoscaler.Api;

/// <summary>
/// CEL rules built in code (from the well-known label tables, say) by a static property of <paramref name="provider"/>
/// that returns <c>IEnumerable&lt;CelRule&gt;</c>; attached like <see cref="CelRuleAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRulesAttribute(Type provider, string member) : Attribute
{
    /// <summary>
    /// On a list: the field of each item the rules go on (so the API server names <c>requirements[0].key</c>, and the
    /// same item type can carry other rules elsewhere); null for the list itself.
    /// </summary>
    public string? ItemField { get; set; }

    /// <summary>The rules, read from the provider.</summary>
    public IEnumerable<CelRule> Values =>
        provider.GetProperty(member, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as IEnumerable<CelRule>
        ?? throw new InvalidOperationException($"{provider.Name}.{member} is not a public static IEnumerable<CelRule> property");
}
