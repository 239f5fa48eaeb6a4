using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>Points a NodePool or NodeClaim at its cloud-specific node class.</summary>
[CelRule("self.group == '" + EC2NodeClass.Group + "'", "unsupported node class group: this autoscaler launches " + EC2NodeClass.KindName + "s only, use group " + EC2NodeClass.Group)]
[CelRule("self.kind == '" + EC2NodeClass.KindName + "'", "unsupported node class kind: this autoscaler launches " + EC2NodeClass.KindName + "s only, use kind " + EC2NodeClass.KindName)]
public sealed record NodeClassReference
{
    /// <summary>The node class's kind, e.g. EC2NodeClass.</summary>
    [Required, MinLength(1)]
    [Description("Kind of the referent")]
    public string? Kind { get; init; }

    /// <summary>The node class's name.</summary>
    [Required, MinLength(1)]
    [Description("Name of the referent")]
    public string? Name { get; init; }

    /// <summary>The node class's API group, e.g. karpenter.k8s.aws.</summary>
    [Required, MinLength(1), RegularExpression(@"^[^/]*$")]
    [Description("API version of the referent")]
    public string? Group { get; init; }
}
