using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>The desired state of a NodePool.</summary>
public sealed record NodePoolSpec
{
    /// <summary>The template every NodeClaim of this pool is made from.</summary>
    [Required]
    [Description("Template contains the template of possibilities for the provisioning logic to launch a NodeClaim with.")]
    public NodeClaimTemplate? Template { get; init; }

    /// <summary>How nodes of this pool may be disrupted.</summary>
    [Description("Disruption contains the parameters that relate to Karpenter's disruption logic")]
    public Disruption? Disruption { get; init; }

    /// <summary>Upper bounds on the resources of all nodes of this pool together.</summary>
    [Description("Limits define a set of bounds for provisioning capacity.")]
    public IDictionary<string, ResourceQuantity>? Limits { get; init; }

    /// <summary>Priority among pools that fit a pod; higher first (1..100).</summary>
    [Range(1, 100)]
    [Description("Weight is the priority given to the nodepool during scheduling. A higher numerical weight indicates that this nodepool will be ordered ahead of other nodepools with lower weights.")]
    public int? Weight { get; init; }
}
