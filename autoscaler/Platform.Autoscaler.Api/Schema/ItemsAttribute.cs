namespace Platform.Autoscaler.Api;

/// <summary>Constraints on each item of a list, or each value of a map: the schema of <c>items</c> or <c>additionalProperties</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute : Attribute
{
    /// <summary>A regular expression every item matches; null for none.</summary>
    public string? Pattern { get; set; }

    /// <summary>Longest item in characters; 0 for no limit.</summary>
    public int MaxLength { get; set; }

    /// <summary>Smallest integer an item may be (for quantities: when written as an integer); null for none.</summary>
    public string? Minimum { get; set; }

    /// <summary>Fields every item (an object) must have, beyond those its type requires everywhere.</summary>
    public string[]? Required { get; set; }
}
