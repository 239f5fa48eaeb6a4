namespace Platform.Autoscaler.Api;

/// <summary>Restricts each item of a string list to the given values (an enum on the schema's items).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAllowedValuesAttribute(params string[] values) : Attribute
{
    /// <summary>The allowed values.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}
