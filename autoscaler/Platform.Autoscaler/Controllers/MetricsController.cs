using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Sets the gauges from a snapshot: each pool's usage and limits, each node's allocatable, daemonset requests and
/// hourly price, and pods by phase. Series of nodes that are gone are removed, so sums over them stay true.
/// </summary>
public sealed class MetricsController(ControllerContext context)
{
    private readonly HashSet<string[]> allocatable = new(LabelsComparer.Instance);
    private readonly HashSet<string[]> daemon = new(LabelsComparer.Instance);
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

        var seenAllocatable = new HashSet<string[]>(LabelsComparer.Instance);
        var seenDaemon = new HashSet<string[]>(LabelsComparer.Instance);
        var seenPrice = new HashSet<string[]>(LabelsComparer.Instance);
        foreach (var node in view.Owned)
        {
            foreach (var (resource, amount) in node.Node.Allocatable.Entries)
            {
                var labels = new[] { node.Name, node.NodePool, resource, node.InstanceType, node.CapacityType, node.Zone };
                metrics.NodesAllocatable.WithLabels(labels).Set(Scale(resource, amount));
                seenAllocatable.Add(labels);
            }

            var daemonRequests = node.Node.Pods.Where(p => node.DaemonPods.Contains(p.Id)).Aggregate(ResourceList.Empty, (sum, p) => sum.Add(p.Requests));
            foreach (var (resource, amount) in daemonRequests.Entries)
            {
                var labels = new[] { node.Name, node.NodePool, resource };
                metrics.NodesDaemonRequests.WithLabels(labels).Set(Scale(resource, amount));
                seenDaemon.Add(labels);
            }

            var priceLabels = new[] { node.Name, node.NodePool, node.InstanceType, node.CapacityType, node.Zone };
            metrics.NodeHourlyPrice.WithLabels(priceLabels).Set(node.Price);
            seenPrice.Add(priceLabels);
        }

        Prune(metrics.NodesAllocatable, allocatable, seenAllocatable);
        Prune(metrics.NodesDaemonRequests, daemon, seenDaemon);
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
