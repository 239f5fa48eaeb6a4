using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Consolidation;

/// <summary>Owned-node state for a node launched from a planned claim.</summary>
internal static class Nodes
{
    public static NodeState State(ClusterNode node, PlannedNodeClaim claim, DateTimeOffset created, DateTimeOffset now) => new()
    {
        Node = node,
        NodePool = claim.NodePool,
        NodeClaim = node.Name,
        InstanceType = claim.Cheapest.InstanceType,
        CapacityType = claim.Cheapest.CapacityType,
        Zone = claim.Cheapest.Zone,
        Price = claim.Price,
        CreatedAt = created,
        LastPodEventAt = now - TimeSpan.FromHours(1),
    };
}
