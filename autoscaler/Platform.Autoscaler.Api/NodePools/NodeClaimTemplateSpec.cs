using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Api;

/// <summary>The spec part of a NodePool's template (a NodeClaim spec without resources).</summary>
[CelRules(typeof(TaintCelRules), nameof(TaintCelRules.Unique))]
public sealed record NodeClaimTemplateSpec
{
    /// <summary>Taints every node of the pool carries.</summary>
    [MaxLength(TaintCelRules.MaxTaints), ListType("atomic")]
    [Description("Taints will be applied to the NodeClaim's node.")]
    public IList<Taint>? Taints { get; init; }

    /// <summary>Taints present at start-up that some daemon removes once the node is ready.</summary>
    [MaxLength(TaintCelRules.MaxTaints), ListType("atomic")]
    [Description("StartupTaints are taints that are applied to nodes upon startup which are expected to be removed automatically within a short period of time.")]
    public IList<Taint>? StartupTaints { get; init; }

    /// <summary>Requirements on the node's labels: instance type, zone, capacity type ...</summary>
    [Required, MaxLength(100), ListType("atomic")]
    [CelRules(typeof(LabelCelRules), nameof(LabelCelRules.NodePoolRequirementKey), ItemField = "key")]
    [CelRules(typeof(LabelCelRules), nameof(LabelCelRules.Requirements))]
    [Description("Requirements are layered with GetLabels and applied to every node.")]
    public IList<NodeSelectorRequirementWithMinValues>? Requirements { get; init; }

    /// <summary>The node class holding the cloud-specific settings.</summary>
    [Required]
    [CelRule("self.group == oldSelf.group", "nodeClassRef.group is immutable")]
    [CelRule("self.kind == oldSelf.kind", "nodeClassRef.kind is immutable")]
    [Description("NodeClassRef is a reference to an object that defines provider specific configuration")]
    public NodeClassReference? NodeClassRef { get; init; }

    /// <summary>Longest time a node's drain may take before pods are deleted.</summary>
    [RegularExpression(Patterns.Duration)]
    [CelRule(KarpenterDuration.CelInRange, KarpenterDuration.CelRangeMessage)]
    [Description("TerminationGracePeriod is the maximum duration the controller will wait before forcefully deleting the pods on a node.")]
    public string? TerminationGracePeriod { get; init; }

    /// <summary>Age after which a node is replaced, or Never.</summary>
    [RegularExpression(Patterns.NillableDuration), DefaultValue("720h")]
    [CelRule(KarpenterDuration.CelNillableInRange, KarpenterDuration.CelRangeMessage)]
    [Description("ExpireAfter is the duration the controller will wait before terminating a node, measured from when the node is created.")]
    public string? ExpireAfter { get; init; }
}
