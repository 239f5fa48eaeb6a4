using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Tests.Metrics;

/// <summary>Karpenter's per-node metrics (pkg/controllers/metrics/node): names, labels, units, and series removed with their node.</summary>
public sealed class NodeMetricsTests
{
    private static V1Node Node(string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [WellKnownLabels.NodePool] = "gpu",
                [WellKnownLabels.InstanceType] = "g5.2xlarge",
                [WellKnownLabels.CapacityType] = "spot",
                [WellKnownLabels.Zone] = "us-east-1a",
                [WellKnownLabels.InstanceGpuName] = "a10g",
                ["team"] = "ml",
            },
        },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("7910m"), ["memory"] = new("29Gi"), ["ephemeral-storage"] = new("180Gi"), [WellKnownResources.NvidiaGpu] = new("1"),
            },
        },
    };

    private static V1Pod Pod(string name, string node, string cpuRequest, string? cpuLimit, string? gpu = null, bool daemon = false, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "default", Uid = name,
            OwnerReferences = daemon ? [new V1OwnerReference { Kind = "DaemonSet", Name = "ds", ApiVersion = "apps/v1", Uid = "ds" }] : null,
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers =
            [
                new V1Container
                {
                    Name = "c",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest) }
                            .Concat(gpu is null ? [] : [KeyValuePair.Create(WellKnownResources.NvidiaGpu, new ResourceQuantity(gpu))]).ToDictionary(),
                        Limits = cpuLimit is null ? null : new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit) },
                    },
                },
            ],
        },
        Status = new V1PodStatus { Phase = phase },
    };

    private static double Value(IEnumerable<NodeSample> samples, NodeMetric metric, string resourceType) =>
        Assert.Single(samples, s => s.Metric == metric && s.Labels[^1] == resourceType).Value;

    [Fact]
    public void Labels_AreKarpentersNamesForItsWellKnownNodeLabels()
    {
        Assert.Equal(NodeMetricLabels.Names.Count, NodeMetricLabels.Names.Distinct().Count());
        Assert.Equal(["node_name", "phase", "managed", "resource_type"], NodeMetricLabels.Names.TakeLast(4));
        foreach (var name in new[] { "nodepool", "zone", "region", "instance_type", "arch", "os", "capacity_type", "windows_build", "zone_id", "instance_gpu_name", "instance_gpu_count", "instance_category", "nitro_sandbox" })
        {
            Assert.Contains(name, NodeMetricLabels.Names);
        }
    }

    [Fact]
    public void Build_NodeWithAppDaemonAndFinishedPods_ReportsAsKarpenterDoes()
    {
        V1Pod[] pods =
        [
            Pod("app", "n1", "1500m", "2", gpu: "1"),
            Pod("dcgm", "n1", "100m", "250m", daemon: true),
            Pod("done", "n1", "4", null, phase: "Succeeded"),
            Pod("elsewhere", "n2", "3", null),
        ];

        var samples = NodeMetricSeries.Build([Node("n1")], pods.ToLookup(p => p.Spec.NodeName), new HashSet<string> { "n1" }).ToList();

        Assert.Equal(7.91, Value(samples, NodeMetric.Allocatable, "cpu"), 6);
        Assert.Equal(180.0 * 1024 * 1024 * 1024, Value(samples, NodeMetric.Allocatable, "ephemeral_storage"));
        Assert.Equal(1.6, Value(samples, NodeMetric.TotalPodRequests, "cpu"), 6);
        Assert.Equal(1, Value(samples, NodeMetric.TotalPodRequests, WellKnownResources.NvidiaGpu));
        Assert.Equal(2.25, Value(samples, NodeMetric.TotalPodLimits, "cpu"), 6);
        Assert.Equal(0.1, Value(samples, NodeMetric.TotalDaemonRequests, "cpu"), 6);
        Assert.DoesNotContain(samples, s => s.Metric == NodeMetric.TotalDaemonRequests && s.Labels[^1] == WellKnownResources.NvidiaGpu);

        var labels = NodeMetricLabels.Names.Zip(samples[0].Labels).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("gpu", "g5.2xlarge", "spot", "us-east-1a", "a10g", "n1", "true", ""),
            (labels["nodepool"], labels["instance_type"], labels["capacity_type"], labels["zone"], labels["instance_gpu_name"], labels["node_name"], labels["managed"], labels["instance_family"]));
    }

    [Fact]
    public async Task Reconcile_EveryNodeGetsTheFourGauges_AndLosesThemWhenItGoes()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var metrics = new AutoscalerMetrics();
        var context = new ControllerContext(cluster, new InMemoryCloud(BundledCatalog.Load(), clock), clock, new ControllerOptions(), metrics, NullLogger.Instance);
        var controller = new MetricsController(context);
        cluster.Apply(Node("system-1"));
        cluster.Apply(Pod("app", "system-1", "500m", null, gpu: "1"));

        await controller.ReconcileAsync(CancellationToken.None);
        var text = await metrics.ExportAsync(CancellationToken.None);

        foreach (var name in new[] { "karpenter_nodes_allocatable", "karpenter_nodes_total_pod_requests", "karpenter_nodes_total_pod_limits", "karpenter_nodes_total_daemon_requests" })
        {
            Assert.Contains($"# TYPE {name} gauge", text, StringComparison.Ordinal);
        }

        var gpuRequests = Assert.Single(text.Split('\n'), l => l.StartsWith("karpenter_nodes_total_pod_requests{", StringComparison.Ordinal) && l.Contains("resource_type=\"nvidia.com/gpu\"", StringComparison.Ordinal));
        Assert.Contains("node_name=\"system-1\"", gpuRequests, StringComparison.Ordinal);
        Assert.Contains("managed=\"false\"", gpuRequests, StringComparison.Ordinal);
        Assert.EndsWith(" 1", gpuRequests, StringComparison.Ordinal);

        await cluster.DeleteNodeAsync("system-1", CancellationToken.None);
        await controller.ReconcileAsync(CancellationToken.None);

        Assert.DoesNotContain("node_name=\"system-1\"", await metrics.ExportAsync(CancellationToken.None), StringComparison.Ordinal);
    }
}
