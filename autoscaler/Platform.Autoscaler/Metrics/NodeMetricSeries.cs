using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Metrics;

/// <summary>Which of Karpenter's per-node gauges a sample belongs to.</summary>
public enum NodeMetric
{
    /// <summary>karpenter_nodes_allocatable.</summary>
    Allocatable,

    /// <summary>karpenter_nodes_total_pod_requests: every bound pod that is not finished, daemonset pods included.</summary>
    TotalPodRequests,

    /// <summary>karpenter_nodes_total_pod_limits.</summary>
    TotalPodLimits,

    /// <summary>karpenter_nodes_total_daemon_requests.</summary>
    TotalDaemonRequests,
}

/// <summary>One sample: the gauge, its label values in <see cref="NodeMetricLabels.Names"/> order, and the value.</summary>
public sealed record NodeSample(NodeMetric Metric, IReadOnlyList<string> Labels, double Value);

/// <summary>
/// Karpenter's per-node metrics computed from a snapshot, for every node (<c>managed</c> says whether a NodeClaim of
/// this autoscaler owns it): CPU in cores, every other resource in its base unit, as Karpenter reports them.
/// </summary>
public static class NodeMetricSeries
{
    /// <summary>The samples of every node, from the pods bound to it.</summary>
    public static IEnumerable<NodeSample> Build(IEnumerable<V1Node> nodes, ILookup<string, V1Pod> podsOnNode, IReadOnlySet<string> managedNodes)
    {
        foreach (var node in nodes)
        {
            var name = node.Metadata.Name;
            var nodeLabels = node.Metadata.Labels ?? new Dictionary<string, string>();
            var common = NodeMetricLabels.WellKnownKeys.Select(k => nodeLabels.TryGetValue(k, out var v) ? v : "")
                .Concat([name, node.Status?.Phase ?? "", managedNodes.Contains(name) ? "true" : "false"]).ToList();
            var pods = podsOnNode[name].Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
            var daemons = pods.Where(IsDaemon).ToList();
            var lists = new (NodeMetric Metric, ResourceList Resources)[]
            {
                (NodeMetric.Allocatable, ResourceList.FromQuantities(node.Status?.Allocatable)),
                (NodeMetric.TotalPodRequests, Sum(pods, p => PodConverter.Requests(p.Spec))),
                (NodeMetric.TotalPodLimits, Sum(pods, p => PodConverter.Limits(p.Spec))),
                (NodeMetric.TotalDaemonRequests, Sum(daemons, p => PodConverter.Requests(p.Spec))),
            };
            foreach (var (metric, resources) in lists)
            {
                foreach (var (resource, amount) in resources.Entries)
                {
                    yield return new NodeSample(metric, [.. common, NodeMetricLabels.ResourceType(resource)],
                        resource == WellKnownResources.Cpu ? amount / 1000.0 : amount);
                }
            }
        }
    }

    private static ResourceList Sum(IEnumerable<V1Pod> pods, Func<V1Pod, ResourceList> amounts) =>
        pods.Aggregate(ResourceList.Empty, (sum, p) => sum.Add(amounts(p)));

    // Karpenter counts DaemonSet-owned pods as daemon pods (mirror pods are not).
    private static bool IsDaemon(V1Pod pod) => pod.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") == true;
}
