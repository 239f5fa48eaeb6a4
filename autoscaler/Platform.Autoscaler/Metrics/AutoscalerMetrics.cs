using Prometheus;

namespace Platform.Autoscaler.Metrics;

/// <summary>
/// The service's metrics, under Karpenter's names and labels so the seeds' dashboards and alerts work unchanged,
/// plus the hourly price of every node. Each instance owns its registry: tests and simulate read their own figures.
/// </summary>
public sealed class AutoscalerMetrics
{
    /// <summary>Creates the collectors in a fresh registry.</summary>
    public AutoscalerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        NodePoolUsage = factory.CreateGauge("karpenter_nodepool_usage", "The amount of resources a NodePool's nodes and NodeClaims hold.", "nodepool", "resource_type");
        NodePoolLimit = factory.CreateGauge("karpenter_nodepool_limit", "A NodePool's limit per resource.", "nodepool", "resource_type");
        var nodeLabels = NodeMetricLabels.Names.ToArray();
        NodesAllocatable = factory.CreateGauge("karpenter_nodes_allocatable", "Node allocatable are the resources allocatable by nodes.", nodeLabels);
        NodesPodRequests = factory.CreateGauge("karpenter_nodes_total_pod_requests",
            "Node total pod requests are the resources requested by pods bound to nodes, including the DaemonSet pods.", nodeLabels);
        NodesPodLimits = factory.CreateGauge("karpenter_nodes_total_pod_limits",
            "Node total pod limits are the resources specified by pod limits, including the DaemonSet pods.", nodeLabels);
        NodesDaemonRequests = factory.CreateGauge("karpenter_nodes_total_daemon_requests",
            "Node total daemon requests are the resource requested by DaemonSet pods bound to nodes.", nodeLabels);
        NodeHourlyPrice = factory.CreateGauge("aws_ec2_instance_hourly_cost", "Hourly price of each node's instance, in USD.", "node_name", "nodepool", "instance_type", "capacity_type", "zone");
        NodeClaimsLaunched = factory.CreateCounter("karpenter_nodeclaims_launched_total", "NodeClaims launched.", "nodepool", "capacity_type");
        NodeClaimsRegistered = factory.CreateCounter("karpenter_nodeclaims_registered_total", "NodeClaims whose node registered.", "nodepool");
        NodeClaimsInitialized = factory.CreateCounter("karpenter_nodeclaims_initialized_total", "NodeClaims whose node initialized.", "nodepool");
        NodeClaimsTerminated = factory.CreateCounter("karpenter_nodeclaims_terminated_total", "NodeClaims terminated.", "nodepool", "reason");
        LaunchFallbacks = factory.CreateCounter("karpenter_nodeclaims_launch_fallbacks_total", "Launch attempts that found no capacity and fell to the next offerings.", "nodepool", "capacity_type");
        PodsState = factory.CreateGauge("karpenter_pods_state", "Pods by phase and whether they are bound.", "phase", "bound");
        SchedulingDuration = factory.CreateHistogram("karpenter_provisioner_scheduling_duration_seconds", "Time one provisioning solve took.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        DisruptionActions = factory.CreateCounter("karpenter_disruption_actions_performed_total", "Disruption commands carried out.", "method", "reason", "nodepool");
        DisruptionEligibleNodes = factory.CreateGauge("karpenter_voluntary_disruption_eligible_nodes", "Nodes that may be disrupted now.", "reason");
        InterruptionMessages = factory.CreateCounter("karpenter_interruption_received_messages_total", "Interruption queue messages by kind.", "message_type");
        InterruptionRejected = factory.CreateCounter("karpenter_interruption_rejected_messages_total", "Interruption queue messages that were malformed or foreign.");
        NodeClassReady = factory.CreateGauge("karpenter_ec2nodeclass_ready", "1 when an EC2NodeClass's selectors resolved (Ready), 0 when not.", "nodeclass");
        Evictions = factory.CreateCounter("karpenter_pods_evictions_total", "Eviction requests by outcome.", "outcome");
        CloudRequestErrors = factory.CreateCounter("autoscaler_cloud_request_errors_total", "AWS calls that failed, by service, action and error code (unreachable for network failures).", "service", "action", "error");
        KubernetesRequestErrors = factory.CreateCounter("autoscaler_kubernetes_list_watch_errors_total", "Lists and watches of the API server that failed, by request.", "request");
        GpuSharingMismatches = factory.CreateCounter("autoscaler_gpu_sharing_mismatches_total",
            "Nodes whose advertised GPU resources did not match their pool's MIG layout or device plugin config when they initialized (each has a GpuSharingMismatch Warning event).", "nodepool", "reason");
        UnusableObjects = factory.CreateGauge("autoscaler_unusable_objects", "Objects the autoscaler skips because it cannot use them (each has an Unusable Warning event saying why).", "kind");
    }

    /// <summary>The registry to export (GET /metrics).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>karpenter_nodepool_usage.</summary>
    public Gauge NodePoolUsage { get; }

    /// <summary>karpenter_nodepool_limit.</summary>
    public Gauge NodePoolLimit { get; }

    /// <summary>karpenter_nodes_allocatable.</summary>
    public Gauge NodesAllocatable { get; }

    /// <summary>karpenter_nodes_total_pod_requests.</summary>
    public Gauge NodesPodRequests { get; }

    /// <summary>karpenter_nodes_total_pod_limits.</summary>
    public Gauge NodesPodLimits { get; }

    /// <summary>karpenter_nodes_total_daemon_requests.</summary>
    public Gauge NodesDaemonRequests { get; }

    /// <summary>The gauge of one of Karpenter's per-node metrics.</summary>
    public Gauge Node(NodeMetric metric) => metric switch
    {
        NodeMetric.Allocatable => NodesAllocatable,
        NodeMetric.TotalPodRequests => NodesPodRequests,
        NodeMetric.TotalPodLimits => NodesPodLimits,
        NodeMetric.TotalDaemonRequests => NodesDaemonRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>Hourly price per node (for gpu:hourly_cost:sum).</summary>
    public Gauge NodeHourlyPrice { get; }

    /// <summary>karpenter_nodeclaims_launched_total.</summary>
    public Counter NodeClaimsLaunched { get; }

    /// <summary>karpenter_nodeclaims_registered_total.</summary>
    public Counter NodeClaimsRegistered { get; }

    /// <summary>karpenter_nodeclaims_initialized_total.</summary>
    public Counter NodeClaimsInitialized { get; }

    /// <summary>karpenter_nodeclaims_terminated_total.</summary>
    public Counter NodeClaimsTerminated { get; }

    /// <summary>Nodes that initialized advertising other GPU resources than their sharing makes (reason: mismatch, failed, timeout).</summary>
    public Counter GpuSharingMismatches { get; }

    /// <summary>Spot-to-next-offering fallbacks.</summary>
    public Counter LaunchFallbacks { get; }

    /// <summary>karpenter_pods_state.</summary>
    public Gauge PodsState { get; }

    /// <summary>karpenter_provisioner_scheduling_duration_seconds.</summary>
    public Histogram SchedulingDuration { get; }

    /// <summary>karpenter_disruption_actions_performed_total.</summary>
    public Counter DisruptionActions { get; }

    /// <summary>karpenter_voluntary_disruption_eligible_nodes.</summary>
    public Gauge DisruptionEligibleNodes { get; }

    /// <summary>Interruption messages by kind.</summary>
    public Counter InterruptionMessages { get; }

    /// <summary>Malformed or foreign interruption messages.</summary>
    public Counter InterruptionRejected { get; }

    /// <summary>Whether each EC2NodeClass is Ready.</summary>
    public Gauge NodeClassReady { get; }

    /// <summary>Eviction requests by outcome.</summary>
    public Counter Evictions { get; }

    /// <summary>Failed AWS calls.</summary>
    public Counter CloudRequestErrors { get; }

    /// <summary>Failed lists and watches.</summary>
    public Counter KubernetesRequestErrors { get; }

    /// <summary>Objects skipped as unusable, by kind.</summary>
    public Gauge UnusableObjects { get; }

    /// <summary>The text exposition format, as GET /metrics serves it.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
