using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;

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

    /// <summary>
    /// The GPU Operator's MIG layouts and device plugin configs, read from its ConfigMaps: what a pool's sharing labels
    /// make its nodes advertise.
    /// </summary>
    public GpuOperatorConfig GpuOperator { get; init; } = GpuOperatorConfig.Defaults;

    /// <summary>An empty cluster.</summary>
    public static ClusterSnapshot Empty { get; } = new([], [], [], [], [], [], []);
}
