using System.ComponentModel;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>The observed state of a NodeClaim.</summary>
public sealed record NodeClaimStatus
{
    /// <summary>The name of the node that registered for this claim.</summary>
    [Description("NodeName is the name of the corresponding node object")]
    public string? NodeName { get; init; }

    /// <summary>The cloud's id of the instance, e.g. aws:///us-east-1a/i-0123.</summary>
    [Description("ProviderID of the corresponding node object")]
    public string? ProviderID { get; init; }

    /// <summary>The image the instance booted.</summary>
    [Description("ImageID is an identifier for the image that runs on the node")]
    public string? ImageID { get; init; }

    /// <summary>The node's capacity.</summary>
    [Description("Capacity is the estimated full capacity of the node")]
    public IDictionary<string, ResourceQuantity>? Capacity { get; init; }

    /// <summary>The node's allocatable resources.</summary>
    [Description("Allocatable is the estimated allocatable capacity of the node")]
    public IDictionary<string, ResourceQuantity>? Allocatable { get; init; }

    /// <summary>Launched, Registered, Initialized, Drifted, Consolidatable, Ready ...; reason and message may be absent.</summary>
    [ListType("map", "type")]
    [Description("Conditions contains signals for health and readiness")]
    public IList<Condition>? Conditions { get; init; }

    /// <summary>When a pod last bound to the node or left it; consolidateAfter counts from here.</summary>
    [Description("LastPodEventTime is updated with the last time a pod was scheduled or removed from the node.")]
    public DateTime? LastPodEventTime { get; init; }
}
