using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A node selector requirement with an optional minimum number of distinct values to keep (Karpenter v1).</summary>
public sealed record NodeSelectorRequirementWithMinValues
{
    /// <summary>The label key the requirement applies to.</summary>
    [Required, MaxLength(316), RegularExpression(Patterns.QualifiedName)]
    [Description("The label key that the selector applies to.")]
    public string? Key { get; init; }

    /// <summary>In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte.</summary>
    [Required, AllowedValues(Operators.In, Operators.NotIn, Operators.Exists, Operators.DoesNotExist, Operators.Gt, Operators.Lt, Operators.Gte, Operators.Lte)]
    [Description("Represents a key's relationship to a set of values.")]
    public string? Operator { get; init; }

    /// <summary>The values; one integer for Gt, Lt, Gte and Lte; none for Exists and DoesNotExist.</summary>
    [MaxLength(100)]
    [Description("An array of string values.")]
    public IList<string>? Values { get; init; }

    /// <summary>The least number of distinct values that must stay flexible when the requirement is In.</summary>
    [Range(1, 50)]
    [Description("The minimum number of unique values required to define the flexibility of the specific requirement.")]
    public int? MinValues { get; init; }
}
