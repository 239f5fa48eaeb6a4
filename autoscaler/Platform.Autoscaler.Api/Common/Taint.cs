using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A node taint, as in core/v1 Taint.</summary>
public sealed record Taint
{
    /// <summary>The taint key.</summary>
    [Required, MinLength(1), MaxLength(316), RegularExpression(Patterns.QualifiedName)]
    [Description("Required. The taint key to be applied to a node.")]
    public string? Key { get; init; }

    /// <summary>The taint value.</summary>
    [RegularExpression(Patterns.QualifiedName)]
    [Description("The taint value corresponding to the taint key.")]
    public string? Value { get; init; }

    /// <summary>NoSchedule, PreferNoSchedule or NoExecute.</summary>
    [Required, MaxLength(16), AllowedValues(TaintEffects.NoSchedule, TaintEffects.PreferNoSchedule, TaintEffects.NoExecute)]
    [Description("Required. The effect of the taint on pods that do not tolerate the taint.")]
    public string? Effect { get; init; }

    /// <summary>When a NoExecute taint was added.</summary>
    [Description("TimeAdded represents the time at which the taint was added.")]
    public DateTime? TimeAdded { get; init; }
}
