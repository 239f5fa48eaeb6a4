using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>The desired state of a NodePool.</summary>
[CelRule("!has(self.replicas)", NodePoolSpec.ReplicasUnsupported)]
public sealed record NodePoolSpec
{
    /// <summary>Why spec.replicas is refused.</summary>
    public const string ReplicasUnsupported =
        "static NodePools (spec.replicas) are not supported by this autoscaler: remove replicas, and the pool is sized from its pending pods";

    /// <summary>The template every NodeClaim of this pool is made from.</summary>
    [Required]
    [Description("Template contains the template of possibilities for the provisioning logic to launch a NodeClaim with.")]
    public NodeClaimTemplate? Template { get; init; }

    /// <summary>How nodes of this pool may be disrupted; the API server fills in consolidateAfter 0s when it is absent.</summary>
    [DefaultJson("""{"consolidateAfter":"0s"}""")]
    [Description("Disruption contains the parameters that relate to Karpenter's disruption logic")]
    public Disruption? Disruption { get; init; }

    /// <summary>Upper bounds on the resources of all nodes of this pool together.</summary>
    [Items(Pattern = Patterns.NonNegativeQuantity, Minimum = "0")]
    [Description("Limits define a set of bounds for provisioning capacity.")]
    public IDictionary<string, ResourceQuantity>? Limits { get; init; }

    /// <summary>Priority among pools that fit a pod; higher first (1..100).</summary>
    [Range(1, 100)]
    [Description("Weight is the priority given to the nodepool during scheduling. A higher numerical weight indicates that this nodepool will be ordered ahead of other nodepools with lower weights.")]
    public int? Weight { get; init; }

    /// <summary>
    /// Karpenter's static NodePools: a fixed node count. Not supported here (the autoscaler sizes every pool from its
    /// pending pods), so the CRD and the validator refuse it rather than let the API server keep a field nothing reads.
    /// </summary>
    [Range(0, long.MaxValue)]
    [Description("Replicas is the desired number of nodes for a static NodePool. Not supported by this autoscaler: a NodePool that sets it is refused.")]
    public long? Replicas { get; init; }
}
