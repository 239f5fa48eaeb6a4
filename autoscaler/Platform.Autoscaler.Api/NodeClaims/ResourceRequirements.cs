using System.ComponentModel;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>The resources a NodeClaim must provide.</summary>
public sealed record ResourceRequirements
{
    /// <summary>Minimum resources, the sum of the nominated pods' requests.</summary>
    [Description("Requests describes the minimum required resources for the NodeClaim to launch")]
    public IDictionary<string, ResourceQuantity>? Requests { get; init; }
}
