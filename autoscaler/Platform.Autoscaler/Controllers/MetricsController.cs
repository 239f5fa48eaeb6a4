using Platform.Autoscaler.Api;
using Platform.Autoscaler.Metrics;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Sets the gauges from a snapshot: each pool's usage and limits; Karpenter's per-node allocatable, pod requests,
/// pod limits and daemon requests for every node (<see cref="NodeMetricSeries"/>); each owned node's hourly price;
/// and pods by phase. Series of nodes that are gone, or whose labels changed, are removed, so sums over them stay true.
/// </summary>
public sealed class MetricsController(ControllerContext context)
{
    private readonly Dictionary<NodeMetric, HashSet<string[]>> nodeSeries = Enum.GetValues<NodeMetric>().ToDictionary(m => m, _ => new HashSet<string[]>(LabelsComparer.Instance));
    private readonly HashSet<string[]> price = new(LabelsComparer.Instance);

    /// <summary>One pass.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        var metrics = context.Metrics;
        foreach (var pool in view.Pools)
        {
            foreach (var (resource, amount) in pool.Usage.Entries)
            {
                metrics.NodePoolUsage.WithLabels(pool.Name, resource).Set(Scale(resource, amount));
            }

            foreach (var (resource, amount) in pool.Limits?.Entries ?? [])
            {
                metrics.NodePoolLimit.WithLabels(pool.Name, resource).Set(Scale(resource, amount));
            }
        }

        var seenNodes = Enum.GetValues<NodeMetric>().ToDictionary(m => m, _ => new HashSet<string[]>(LabelsComparer.Instance));
        var managed = view.NodeOfClaim.Values.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var sample in NodeMetricSeries.Build(view.Snapshot.Nodes, view.PodsOnNode, managed))
        {
            var labels = sample.Labels.ToArray();
            metrics.Node(sample.Metric).WithLabels(labels).Set(sample.Value);
            seenNodes[sample.Metric].Add(labels);
        }

        foreach (var (metric, seen) in seenNodes)
        {
            Prune(metrics.Node(metric), nodeSeries[metric], seen);
        }

        var seenPrice = new HashSet<string[]>(LabelsComparer.Instance);
        foreach (var node in view.Owned)
        {
            var priceLabels = new[] { node.Name, node.NodePool, node.InstanceType, node.CapacityType, node.Zone };
            metrics.NodeHourlyPrice.WithLabels(priceLabels).Set(node.Price);
            seenPrice.Add(priceLabels);
        }

        Prune(metrics.NodeHourlyPrice, price, seenPrice);

        foreach (var phase in new[] { "Pending", "Running", "Succeeded", "Failed", "Unknown" })
        {
            foreach (var bound in new[] { true, false })
            {
                metrics.PodsState.WithLabels(phase, bound ? "true" : "false").Set(view.Snapshot.Pods.Count(p =>
                    (p.Status?.Phase ?? "Pending") == phase && !string.IsNullOrEmpty(p.Spec?.NodeName) == bound));
            }
        }
    }

    /// <summary>CPU in cores, the rest in base units, as Karpenter reports them.</summary>
    private static double Scale(string resource, long amount) => resource == WellKnownResources.Cpu ? amount / 1000.0 : amount;

    private static void Prune(Prometheus.Gauge gauge, HashSet<string[]> before, HashSet<string[]> now)
    {
        foreach (var gone in before.Where(l => !now.Contains(l)).ToList())
        {
            gauge.RemoveLabelled(gone);
        }

        before.Clear();
        before.UnionWith(now);
    }

    private sealed class LabelsComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelsComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] obj) => string.Join('\u0001', obj).GetHashCode(StringComparison.Ordinal);
    }
}
