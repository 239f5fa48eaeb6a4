using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>
/// A status condition, as in meta/v1 Condition. Type, status and transition time are required everywhere (NodeClaim
/// conditions need no more); NodePool and EC2NodeClass status lists also require reason and message.
/// </summary>
public sealed record Condition
{
    /// <summary>The condition type, e.g. Ready.</summary>
    [Required, MaxLength(316), RegularExpression(Patterns.ConditionType)]
    [Description("Type of condition in CamelCase or in foo.example.com/CamelCase.")]
    public string? Type { get; init; }

    /// <summary>True, False or Unknown.</summary>
    [Required, AllowedValues("True", "False", "Unknown")]
    [Description("Status of the condition, one of True, False, Unknown.")]
    public string? Status { get; init; }

    /// <summary>The generation the condition was set from.</summary>
    [Range(0, long.MaxValue)]
    [Description("The .metadata.generation that the condition was set based upon.")]
    public long? ObservedGeneration { get; init; }

    /// <summary>When the status last changed.</summary>
    [Required]
    [Description("The last time the condition transitioned from one status to another.")]
    public DateTime? LastTransitionTime { get; init; }

    /// <summary>A CamelCase reason for the last transition.</summary>
    [MaxLength(1024), RegularExpression(Patterns.ConditionReason)]
    [Description("A programmatic identifier indicating the reason for the condition's last transition.")]
    public string? Reason { get; init; }

    /// <summary>A human-readable message.</summary>
    [MaxLength(32768)]
    [Description("A human readable message indicating details about the transition.")]
    public string? Message { get; init; }

    /// <summary>A True condition, its reason its type (the API requires one) and no message; not stamped yet.</summary>
    public static Condition True(string type) => new() { Type = type, Status = "True", Reason = type, Message = "" };

    /// <summary>A False condition saying why; not stamped yet.</summary>
    public static Condition False(string type, string reason, string message) => new() { Type = type, Status = "False", Reason = reason, Message = message };
}
