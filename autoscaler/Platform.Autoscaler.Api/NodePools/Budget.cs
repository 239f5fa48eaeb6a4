using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Api;

/// <summary>A disruption budget: how many nodes may be disrupted, optionally only in a window and for some reasons.</summary>
public sealed record Budget
{
    /// <summary>The reasons this budget limits; all when empty.</summary>
    [MaxLength(50), ListType("set"), ItemsAllowedValues(DisruptionReasons.Underutilized, DisruptionReasons.Empty, DisruptionReasons.Drifted)]
    [Description("Reasons is a list of disruption methods that this budget applies to. If Reasons is not set, this budget applies to all methods.")]
    public IList<string>? Reasons { get; init; }

    /// <summary>A node count or a percentage of the pool's nodes.</summary>
    [Required, RegularExpression(Patterns.BudgetNodes), DefaultValue("10%")]
    [Description("Nodes dictates the maximum number of NodeClaims owned by this NodePool that can be terminating at once.")]
    public string? Nodes { get; init; }

    /// <summary>When the budget's window opens, as a cron expression in UTC.</summary>
    [RegularExpression(Patterns.BudgetSchedule)]
    [Description("Schedule specifies when a budget begins being active, following the upstream cronjob syntax.")]
    public string? Schedule { get; init; }

    /// <summary>How long the window stays open after each scheduled start.</summary>
    [RegularExpression(Patterns.BudgetDuration)]
    [CelRule(KarpenterDuration.CelInRange, KarpenterDuration.CelRangeMessage)]
    [Description("Duration determines how long a Budget is active since each Schedule hit.")]
    public string? Duration { get; init; }
}
