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
        var selector = $"nodepool=~\"{gpuPools}\", resource_type=\"{WellKnownResources.NvidiaGpu}\"";
        return Rules("karpenter-gpu-alerts", "karpenter-gpu",
            Alert("GPUNodePoolNearLimit",
                $"{AutoscalerMetrics.NodePoolUsage}{{{selector}}}\n/\n{AutoscalerMetrics.NodePoolLimit}{{{selector}}}\n> 0.9\n",
                "5m", "warning", "GPU NodePool approaching resource limit"),
            Alert("LowGPUUtilization", $"avg_over_time({AutoscalerMetrics.DcgmGpuUtilization}[30m]) < 10\n",
                "1h", "info", "GPU utilization below 10 percent for 1 hour"),
            Alert("KarpenterProvisioningFailed", $"increase({AutoscalerMetrics.NodeClaimsTerminated}{{reason=\"ProvisioningFailed\"}}[15m]) > 0\n",
                null, "critical", "Karpenter failed to provision GPU node"));
    }

    /// <summary>The hourly GPU cost as a recording rule, and the alert above the environment's threshold.</summary>
    public static CustomObject GpuCost(StackSettings settings)
    {
        var threshold = settings.Budgets.HourlyGpuCostAlertUsd.ToString(CultureInfo.InvariantCulture);
        var record = new JsonObject
        {
            ["record"] = "gpu:hourly_cost:sum",
            ["expr"] = $"sum(\n  {AutoscalerMetrics.NodePodRequests}{{resource_type=\"{WellKnownResources.NvidiaGpu}\"}}\n  * on(instance_type) group_left()\n  {AutoscalerMetrics.InstanceHourlyCost}\n)\n",
        };
        return Rules("gpu-cost-rules", "gpu-cost", record,
            Alert("HighGPUCostAlert", $"gpu:hourly_cost:sum > {threshold}", "1h", "warning", $"Hourly GPU cost is above ${threshold}"));
    }

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
