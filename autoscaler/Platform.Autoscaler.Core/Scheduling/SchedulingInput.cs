using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>Everything one solve needs: the pods to place, the nodes that exist, the pools that may buy more.</summary>
/// <param name="Pods">Pending pods.</param>
/// <param name="Nodes">Existing nodes and in-flight NodeClaims.</param>
/// <param name="NodePools">NodePools with their instance types; offerings known unavailable already marked so.</param>
/// <param name="Cache">Optional work shared between solves over the same pools (disruption's simulations).</param>
/// <param name="PackClaims">
/// A pod joins an open claim whenever one of the claim's options still fits it (Karpenter's rule), not only when
/// that costs no more than a node of its own. Disruption's simulations ask whether one new node can take every pod
/// the remaining nodes cannot; the price rule would spread those pods over several small claims and answer no.
/// </param>
/// <param name="NamespaceLabels">
/// Labels of the cluster's namespaces by name, for pod affinity terms' namespaceSelector. A namespace not listed has
/// only the label every namespace has, kubernetes.io/metadata.name.
/// </param>
/// <param name="Packing">How hard to improve on the greedy plan, and by when (null: <see cref="PackingOptions.Default"/>).</param>
public sealed record SchedulingInput(IReadOnlyList<Pod> Pods, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<NodePoolTemplate> NodePools, SchedulerCache? Cache = null, bool PackClaims = false,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? NamespaceLabels = null, PackingOptions? Packing = null);
