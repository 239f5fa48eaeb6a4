using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Infra.Blueprint.GpuSharing;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Helm;

/// <summary>The Helm releases of the stack and their values.</summary>
public static class HelmCharts
{
    /// <summary>Namespace of the GPU Operator and its DCGM exporter.</summary>
    public const string GpuOperatorNamespace = "gpu-operator";

    /// <summary>Namespace of KEDA.</summary>
    public const string KedaNamespace = "keda";

    /// <summary>Namespace of Prometheus, Alertmanager and Grafana.</summary>
    public const string MonitoringNamespace = "monitoring";

    /// <summary>Release name of kube-prometheus-stack; its Prometheus service is named after it.</summary>
    public const string KubePrometheusStackRelease = "kube-prometheus-stack";

    /// <summary>Prometheus inside the cluster, for KEDA's prometheus triggers.</summary>
    public static string PrometheusAddress => $"http://{KubePrometheusStackRelease}-prometheus.{MonitoringNamespace}.svc:9090";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// NVIDIA GPU Operator: device plugin, GFD, DCGM exporter and MIG manager per settings. GPU nodes boot the EKS
    /// AL2023 NVIDIA AMI (the node classes' <c>al2023</c> alias resolves GPU types to it), which ships the driver and
    /// the container toolkit with containerd set up for them, so the operator installs neither (a second driver
    /// would fight the AMI's). The MIG manager's and the device plugin's configs come from the environment's
    /// <see cref="GpuSharingPlan"/>, as the shared NodePools and the autoscaler's reading of them do.
    /// </summary>
    public static HelmRelease GpuOperator(StackSettings settings)
    {
        var gpu = settings.Gpu;
        var sharing = GpuSharingPlan.For(settings);
        var migManager = new JsonObject { ["enabled"] = gpu.MigManager };
        if (gpu.MigManager)
        {
            // Replaces the operator's default layouts: all-disabled for every other node, and the pools' layouts.
            migManager["config"] = new JsonObject
            {
                ["create"] = true,
                ["name"] = GpuSharingPlan.MigConfigMap,
                ["default"] = MigPartedConfig.AllDisabled,
                ["data"] = new JsonObject { [MigPartedConfig.ConfigMapKey] = sharing.MigConfig.Render() },
            };
        }

        var pluginConfigs = new JsonObject();
        foreach (var (name, config) in sharing.DevicePluginConfigs)
        {
            pluginConfigs[name] = config.Render();
        }

        var values = new JsonObject
        {
            ["driver"] = new JsonObject { ["enabled"] = false },
            ["toolkit"] = new JsonObject { ["enabled"] = false },
            ["devicePlugin"] = new JsonObject
            {
                ["enabled"] = true,
                ["config"] = new JsonObject
                {
                    ["create"] = true,
                    ["name"] = GpuSharingPlan.DevicePluginConfigMap,
                    ["default"] = GpuSharingPlan.DefaultDevicePluginConfig,
                    ["data"] = pluginConfigs,
                },
            },
            ["gfd"] = new JsonObject { ["enabled"] = true },
            // The stack's own ServiceMonitor scrapes the exporter (Monitoring), so the chart's stays off.
            ["dcgmExporter"] = new JsonObject { ["enabled"] = true, ["serviceMonitor"] = new JsonObject { ["enabled"] = false } },
            ["migManager"] = migManager,
            ["mig"] = new JsonObject { ["strategy"] = gpu.MigStrategy },
            ["daemonsets"] = new JsonObject { ["tolerations"] = GpuTolerations() },
            ["node-feature-discovery"] = new JsonObject
            {
                ["worker"] = new JsonObject { ["tolerations"] = GpuTolerations() },
                ["master"] = new JsonObject { ["nodeSelector"] = SystemSelector() },
            },
        };
        return Release("gpu-operator", "gpu-operator", "https://helm.ngc.nvidia.com/nvidia", settings.Charts.GpuOperator, GpuOperatorNamespace, values);
    }

    /// <summary>KEDA, on the system nodes, with its metrics scraped by Prometheus.</summary>
    public static HelmRelease Keda(StackSettings settings)
    {
        var values = new JsonObject
        {
            ["nodeSelector"] = SystemSelector(),
            ["prometheus"] = new JsonObject
            {
                ["operator"] = new JsonObject { ["enabled"] = true, ["serviceMonitor"] = new JsonObject { ["enabled"] = true } },
                ["metricServer"] = new JsonObject { ["enabled"] = true, ["serviceMonitor"] = new JsonObject { ["enabled"] = true } },
            },
        };
        return Release("keda", "keda", "https://kedacore.github.io/charts", settings.Charts.Keda, KedaNamespace, values);
    }

    /// <summary>kube-prometheus-stack: every ServiceMonitor and rule in the cluster is picked up; Grafana loads labelled dashboards.</summary>
    public static HelmRelease KubePrometheusStack(StackSettings settings)
    {
        var values = new JsonObject
        {
            ["prometheus"] = new JsonObject
            {
                ["prometheusSpec"] = new JsonObject
                {
                    // Without these, Prometheus only selects objects labelled with the release name.
                    ["serviceMonitorSelectorNilUsesHelmValues"] = false,
                    ["podMonitorSelectorNilUsesHelmValues"] = false,
                    ["ruleSelectorNilUsesHelmValues"] = false,
                    ["retention"] = settings.Environment == "prod" ? "30d" : "7d",
                    ["nodeSelector"] = SystemSelector(),
                },
            },
            ["alertmanager"] = new JsonObject { ["alertmanagerSpec"] = new JsonObject { ["nodeSelector"] = SystemSelector() } },
            ["prometheusOperator"] = new JsonObject { ["nodeSelector"] = SystemSelector() },
            ["kube-state-metrics"] = new JsonObject { ["nodeSelector"] = SystemSelector() },
            ["prometheus-node-exporter"] = new JsonObject { ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }) },
            ["grafana"] = new JsonObject
            {
                ["nodeSelector"] = SystemSelector(),
                ["sidecar"] = new JsonObject
                {
                    ["dashboards"] = new JsonObject
                    {
                        ["enabled"] = true,
                        ["label"] = Monitoring.Dashboards.Label,
                        ["labelValue"] = Monitoring.Dashboards.LabelValue,
                        ["searchNamespace"] = "ALL",
                    },
                },
            },
        };
        return Release(KubePrometheusStackRelease, "kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts",
            settings.Charts.KubePrometheusStack, MonitoringNamespace, values);
    }

    /// <summary>GPU node daemons tolerate the GPU taint and the training taint, or training nodes get no driver.</summary>
    private static JsonArray GpuTolerations() => new(
        new JsonObject { ["key"] = WellKnownTaints.NvidiaGpu, ["operator"] = "Exists", ["effect"] = "NoSchedule" },
        new JsonObject { ["key"] = NodePoolCatalog.TrainingTaintKey, ["operator"] = "Exists", ["effect"] = "NoSchedule" });

    private static JsonObject SystemSelector() => new() { [SystemNodes.LabelKey] = SystemNodes.LabelValue };

    private static HelmRelease Release(string name, string chart, string repository, string version, string @namespace, JsonObject values) =>
        new(name, chart, repository, version, @namespace, values.ToJsonString(Indented));
}
