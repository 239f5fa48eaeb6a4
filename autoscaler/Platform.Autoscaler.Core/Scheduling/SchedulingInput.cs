using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>Everything one solve needs: the pods to place, the nodes that exist, the pools that may buy more.</summary>
/// <param name="Pods">Pending pods.</param>
/// <param name="Nodes">Existing nodes and in-flight NodeClaims.</param>
/// <param name="NodePools">NodePools with their instance types; offerings known unavailable already marked so.</param>
/// <param name="Cache">Optional work shared between solves over the same pools (disruption's simulations).</param>
public sealed record SchedulingInput(IReadOnlyList<Pod> Pods, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<NodePoolTemplate> NodePools, SchedulerCache? Cache = null);
