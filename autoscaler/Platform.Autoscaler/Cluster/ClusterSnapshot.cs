using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Cluster;

/// <summary>
/// One consistent read of everything the controllers look at. The objects are the Kubernetes ones, so the same
/// controllers run over the informers' caches in a cluster and over the in-memory cluster in tests and simulate.
/// </summary>
public sealed record ClusterSnapshot(
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyList<V1Node> Nodes,
    IReadOnlyList<NodeClaim> NodeClaims,
    IReadOnlyList<NodePool> NodePools,
    IReadOnlyList<EC2NodeClass> NodeClasses,
    IReadOnlyList<V1PodDisruptionBudget> DisruptionBudgets,
    IReadOnlyList<V1DaemonSet> DaemonSets)
{
    /// <summary>The namespaces, whose labels pod affinity terms' namespaceSelectors match.</summary>
    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];

    /// <summary>An empty cluster.</summary>
    public static ClusterSnapshot Empty { get; } = new([], [], [], [], [], [], []);
}
