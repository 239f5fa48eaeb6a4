using System.ComponentModel;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>The observed state of a NodePool.</summary>
public sealed record NodePoolStatus
{
    /// <summary>The resources of all nodes of the pool together.</summary>
    [Description("Resources is the list of resources that have been provisioned.")]
    public IDictionary<string, ResourceQuantity>? Resources { get; init; }

    /// <summary>The number of nodes of the pool.</summary>
    [DefaultValue(0L)]
    [Description("Nodes is the count of nodes associated with this NodePool")]
    public long? Nodes { get; init; }

    /// <summary>Conditions such as Ready, NodeClassReady, ValidationSucceeded; each with a reason and a message, as Karpenter writes them.</summary>
    [ListType("map", "type"), Items(Required = ["reason", "message"])]
    [Description("Conditions contains signals for health and readiness")]
    public IList<Condition>? Conditions { get; init; }
}
