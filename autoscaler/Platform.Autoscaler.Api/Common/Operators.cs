namespace Platform.Autoscaler.Api;

/// <summary>Requirement operators.</summary>
public static class Operators
{
    /// <summary>The label's value is one of the values.</summary>
    public const string In = "In";
    /// <summary>The label's value is none of the values, or the label is absent.</summary>
    public const string NotIn = "NotIn";
    /// <summary>The label is present.</summary>
    public const string Exists = "Exists";
    /// <summary>The label is absent.</summary>
    public const string DoesNotExist = "DoesNotExist";
    /// <summary>The label's integer value is greater than the value.</summary>
    public const string Gt = "Gt";
    /// <summary>The label's integer value is less than the value.</summary>
    public const string Lt = "Lt";
    /// <summary>The label's integer value is greater than or equal to the value.</summary>
    public const string Gte = "Gte";
    /// <summary>The label's integer value is less than or equal to the value.</summary>
    public const string Lte = "Lte";
}
