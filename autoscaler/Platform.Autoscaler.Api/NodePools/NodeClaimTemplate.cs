using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A NodePool's template for NodeClaims: labels, annotations and the claim spec.</summary>
public sealed record NodeClaimTemplate
{
    /// <summary>Labels and annotations every node of the pool carries.</summary>
    public NodeClaimTemplateMetadata? Metadata { get; init; }

    /// <summary>The NodeClaim spec.</summary>
    [Required]
    [Description("NodeClaimTemplateSpec describes the desired state of the NodeClaim in the Nodepool")]
    public NodeClaimTemplateSpec? Spec { get; init; }
}
