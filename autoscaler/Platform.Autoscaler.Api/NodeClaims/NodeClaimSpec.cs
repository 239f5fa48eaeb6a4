using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Api;

/// <summary>The desired state of a NodeClaim.</summary>
[CelRule("self == oldSelf", "spec is immutable")]
[CelRules(typeof(TaintCelRules), nameof(TaintCelRules.Unique))]
public sealed record NodeClaimSpec
{
    /// <summary>Taints the node carries.</summary>
    [MaxLength(TaintCelRules.MaxTaints), ListType("atomic")]
    [Description("Taints will be applied to the NodeClaim's node.")]
    public IList<Taint>? Taints { get; init; }

    /// <summary>Taints present at start-up that some daemon removes.</summary>
    [MaxLength(TaintCelRules.MaxTaints), ListType("atomic")]
    [Description("StartupTaints are taints that are applied to nodes upon startup which are expected to be removed automatically within a short period of time.")]
    public IList<Taint>? StartupTaints { get; init; }

    /// <summary>Requirements on the node's labels; the launch picks an offering that meets them.</summary>
    [Required, MaxLength(100), ListType("atomic")]
    [CelRules(typeof(LabelCelRules), nameof(LabelCelRules.NodeClaimRequirementKey), ItemField = "key")]
    [CelRules(typeof(LabelCelRules), nameof(LabelCelRules.Requirements))]
    [Description("Requirements are layered with GetLabels and applied to every node.")]
    public IList<NodeSelectorRequirementWithMinValues>? Requirements { get; init; }

    /// <summary>The resources the pods nominated for this claim request.</summary>
    [Description("Resources models the resource requirements for the NodeClaim to launch")]
    public ResourceRequirements? Resources { get; init; }

    /// <summary>The node class holding the cloud-specific settings.</summary>
    [Required]
    [Description("NodeClassRef is a reference to an object that defines provider specific configuration")]
    public NodeClassReference? NodeClassRef { get; init; }

    /// <summary>Longest time a node's drain may take before pods are deleted.</summary>
    [RegularExpression(Patterns.Duration)]
    [CelRule(KarpenterDuration.CelInRange, KarpenterDuration.CelRangeMessage)]
    [Description("TerminationGracePeriod is the maximum duration the controller will wait before forcefully deleting the pods on a node.")]
    public string? TerminationGracePeriod { get; init; }

    /// <summary>Age after which the node is replaced, or Never.</summary>
    [RegularExpression(Patterns.NillableDuration), DefaultValue("720h")]
    [CelRule(KarpenterDuration.CelNillableInRange, KarpenterDuration.CelRangeMessage)]
    [Description("ExpireAfter is the duration the controller will wait before terminating a node, measured from when the node is created.")]
    public string? ExpireAfter { get; init; }
}
