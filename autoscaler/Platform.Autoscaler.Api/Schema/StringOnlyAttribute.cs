namespace Platform.Autoscaler.Api;

/// <summary>
/// A quantity that the schema takes as a string only (not int-or-string), so its pattern sees every value: Karpenter's
/// volumeSize is such a field.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StringOnlyAttribute : Attribute;
