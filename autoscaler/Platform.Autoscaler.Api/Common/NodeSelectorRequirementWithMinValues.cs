using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A node selector requirement with an optional minimum number of distinct values to keep (Karpenter v1).</summary>
public sealed record NodeSelectorRequirementWithMinValues
{
    /// <summary>
    /// Most values one requirement may list. Karpenter sets no bound; the CEL rule that checks closed value sets
    /// (capacity types) iterates the values, and the API server refuses a rule whose worst case it cannot bound. Every
    /// instance type of a region fits many times over (us-east-1 has about 1,200).
    /// </summary>
    public const int MaxValues = 5000;

    /// <summary>The label key the requirement applies to.</summary>
    [Required, MaxLength(316), RegularExpression(Patterns.QualifiedName)]
    [Description("The label key that the selector applies to.")]
    public string? Key { get; init; }

    /// <summary>In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte.</summary>
    [Required, AllowedValues(Operators.In, Operators.NotIn, Operators.Exists, Operators.DoesNotExist, Operators.Gt, Operators.Lt, Operators.Gte, Operators.Lte)]
    [Description("Represents a key's relationship to a set of values.")]
    public string? Operator { get; init; }

    /// <summary>The values; one integer for Gt, Lt, Gte and Lte; none for Exists and DoesNotExist.</summary>
    [MaxLength(MaxValues), ListType("atomic"), Items(MaxLength = 63, Pattern = Patterns.LabelValue)]
    [Description("An array of string values.")]
    public IList<string>? Values { get; init; }

    /// <summary>The least number of distinct values that must stay flexible when the requirement is In.</summary>
    [Range(1, 50)]
    [Description("The minimum number of unique values required to define the flexibility of the specific requirement.")]
    public int? MinValues { get; init; }
}
