using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>What a planned claim becomes once launched at its cheapest option: a node, in flight until it registers.</summary>
public static class PlannedNodeClaimExtensions
{
    /// <summary>
    /// The node the claim's first option would give: the type's labels plus zone, capacity type, pool and hostname,
    /// the pool's taints, the type's allocatable less the pool's daemonset overhead, and the claim's pods.
    /// </summary>
    public static ClusterNode ToNode(this PlannedNodeClaim claim, NodePoolTemplate pool, string name, bool inFlight = true)
    {
        var type = pool.InstanceTypes.First(t => t.Name == claim.Cheapest.InstanceType);
        return new ClusterNode
        {
            Name = name,
            NodePool = pool.Name,
            Labels = new Dictionary<string, string>(type.Labels)
            {
                [WellKnownLabels.Zone] = claim.Cheapest.Zone,
                [WellKnownLabels.CapacityType] = claim.Cheapest.CapacityType,
                [WellKnownLabels.NodePool] = pool.Name,
                [WellKnownLabels.Hostname] = name,
            },
            Taints = pool.Taints,
            Allocatable = type.Allocatable.Subtract(pool.DaemonOverhead),
            Capacity = type.Capacity,
            Pods = [.. claim.Pods],
            Price = claim.Price,
            InFlight = inFlight,
        };
    }
}
