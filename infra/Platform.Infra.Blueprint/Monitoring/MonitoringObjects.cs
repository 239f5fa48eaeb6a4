using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Monitoring;

/// <summary>The DCGM ServiceMonitor and the seeds' PrometheusRules, with the environment's GPU NodePools and cost threshold.</summary>
public static class MonitoringObjects
{
    /// <summary>Scrapes the GPU Operator's DCGM exporter service (port gpu-metrics, 9400).</summary>
    public static CustomObject DcgmServiceMonitor() =>
        CustomObject.Create("monitoring.coreos.com/v1", "ServiceMonitor", "dcgm-exporter", HelmCharts.GpuOperatorNamespace,
            new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "nvidia-dcgm-exporter" } },
                ["namespaceSelector"] = new JsonObject { ["matchNames"] = new JsonArray(HelmCharts.GpuOperatorNamespace) },
                ["endpoints"] = new JsonArray(new JsonObject { ["port"] = "gpu-metrics", ["interval"] = "15s", ["path"] = "/metrics" }),
            });

    /// <summary>GPU NodePool near its limit, low GPU utilisation, provisioning failed.</summary>
    public static CustomObject GpuAlerts(NodePoolSet pools)
    {
        var gpuPools = string.Join("|", pools.GpuNodePools.Select(p => p.Metadata.Name));
        // Per GPU resource: a shared pool's limit is on its MIG devices or replicas, not on whole GPUs.
        var selector = $"nodepool=~\"{gpuPools}\", resource_type=~\"{AutoscalerMetrics.GpuResourceTypes}\"";
        return Rules("karpenter-gpu-alerts", "karpenter-gpu",
            Alert("GPUNodePoolNearLimit",
                $"max by (nodepool, resource_type) ({AutoscalerMetrics.NodePoolUsage}{{{selector}}})\n/\nmax by (nodepool, resource_type) ({AutoscalerMetrics.NodePoolLimit}{{{selector}}})\n> 0.9\n",
                "5m", "warning", "GPU NodePool approaching resource limit"),
            Alert("LowGPUUtilization", $"avg_over_time({AutoscalerMetrics.DcgmGpuUtilization}[30m]) < 10\n",
                "1h", "info", "GPU utilization below 10 percent for 1 hour"),
            Alert("KarpenterProvisioningFailed",
                $"sum by (nodepool) (increase({AutoscalerMetrics.NodeClaimsTerminated}{{nodepool=~\"{gpuPools}\", reason=~\"{AutoscalerMetrics.LaunchFailureReasons}\"}}[15m])) > 0\n",
                null, "critical", "Karpenter failed to provision GPU node"));
    }

    /// <summary>
    /// The hourly GPU cost as recording rules, and the alert above the environment's threshold. Every series is first
    /// reduced to one per node (<c>max by (node_name)</c>): a node's price and its GPU figures then meet one to one on
    /// node_name, whatever else differs (several nodes of one instance type, a second autoscaler replica scraped). GPU
    /// devices are whole GPUs, time-sliced replicas and MIG devices alike. Each MIG instance the DCGM exporter reports
    /// gets its share of its node's price by compute slices (<c>gpu_instance:hourly_cost:max</c>), so the cost per slice
    /// shows by profile.
    /// </summary>
    public static CustomObject GpuCost(StackSettings settings)
    {
        var threshold = settings.Budgets.HourlyGpuCostAlertUsd.ToString(CultureInfo.InvariantCulture);
        var gpu = $"resource_type=~\"{AutoscalerMetrics.GpuResourceTypes}\"";
        // The DCGM exporter's Hostname is the node's name (NODE_NAME from spec.nodeName in the operator's daemonset).
        var slices = string.Join("\nor\n", new[] { 1, 2, 3, 4, 7 }.Select(g =>
            $"label_replace(max by (Hostname, gpu, GPU_I_PROFILE, GPU_I_ID) ({AutoscalerMetrics.DcgmFramebufferUsed}{{GPU_I_PROFILE=~\"{g}g[.].*\"}}) * 0 + {g}, \"node_name\", \"$1\", \"Hostname\", \"(.*)\")"));
        return Rules("gpu-cost-rules", "gpu-cost",
            Record(AutoscalerMetrics.NodeHourlyCost, $"max by (node_name, nodepool, instance_type, capacity_type) ({AutoscalerMetrics.InstanceHourlyCost})\n"),
            Record(AutoscalerMetrics.NodeGpus, $"max by (node_name) (sum without (resource_type) ({AutoscalerMetrics.NodeAllocatable}{{{gpu}}})) > 0\n"),
            Record(AutoscalerMetrics.GpuHourlyCost,
                $"sum({AutoscalerMetrics.NodeHourlyCost} and on(node_name) {AutoscalerMetrics.NodeGpus})\nor vector(0)\n"),
            Record(AutoscalerMetrics.GpuRequestedHourlyCost,
                $"sum(\n  {AutoscalerMetrics.NodeHourlyCost}\n  * on(node_name) (max by (node_name) (sum without (resource_type) ({AutoscalerMetrics.NodePodRequests}{{{gpu}}})) / on(node_name) {AutoscalerMetrics.NodeGpus})\n)\nor vector(0)\n"),
            Record(AutoscalerMetrics.MigInstanceSlices, slices + "\n"),
            Record(AutoscalerMetrics.NodeMigSlices, $"sum by (node_name) ({AutoscalerMetrics.MigInstanceSlices})\n"),
            Record(AutoscalerMetrics.MigInstanceHourlyCost,
                $"{AutoscalerMetrics.MigInstanceSlices}\n* on(node_name) group_left(nodepool, instance_type, capacity_type)\n({AutoscalerMetrics.NodeHourlyCost} / on(node_name) group_left {AutoscalerMetrics.NodeMigSlices})\n"),
            Alert("HighGPUCostAlert", $"{AutoscalerMetrics.GpuHourlyCost} > {threshold}", "1h", "warning", $"Hourly GPU cost is above ${threshold}"));
    }

    private static JsonObject Record(string name, string expr) => new() { ["record"] = name, ["expr"] = expr };

    private static CustomObject Rules(string name, string group, params JsonObject[] rules) =>
        CustomObject.Create("monitoring.coreos.com/v1", "PrometheusRule", name, HelmCharts.MonitoringNamespace,
            new JsonObject
            {
                ["groups"] = new JsonArray(new JsonObject { ["name"] = group, ["rules"] = new JsonArray([.. rules]) }),
            });

    private static JsonObject Alert(string name, string expr, string? @for, string severity, string summary)
    {
        var rule = new JsonObject { ["alert"] = name, ["expr"] = expr };
        if (@for is not null)
        {
            rule["for"] = @for;
        }

        rule["labels"] = new JsonObject { ["severity"] = severity };
        rule["annotations"] = new JsonObject { ["summary"] = summary };
        return rule;
    }
}
