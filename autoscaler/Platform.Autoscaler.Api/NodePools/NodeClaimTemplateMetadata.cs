using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>The labels and annotations of a NodePool's template.</summary>
public sealed record NodeClaimTemplateMetadata
{
    /// <summary>Labels applied to every node of the pool.</summary>
    [MaxLength(100), MapType("atomic"), Items(MaxLength = 63, Pattern = Patterns.LabelValue)]
    [CelRules(typeof(LabelCelRules), nameof(LabelCelRules.TemplateLabels))]
    [Description("Map of string keys and values that can be used to organize and categorize (scope and select) objects.")]
    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>Annotations applied to every node of the pool.</summary>
    [MapType("granular")]
    [Description("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.")]
    public IDictionary<string, string>? Annotations { get; init; }
}
