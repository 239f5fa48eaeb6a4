namespace Platform.Infra.Blueprint.Helm;

/// <summary>
/// Every value key the stack sets, per chart, with the chart version it was checked against: the one place to look
/// when a chart is upgraded. A test compares them with the keys each chart's values.yaml defines at that version
/// (recorded from the chart's sources) and with the values <see cref="HelmCharts"/> builds; the settings reader
/// refuses another chart version until the keys have been checked against it.
/// </summary>
public static class ChartValueKeys
{
    /// <summary>NVIDIA GPU Operator (and its node-feature-discovery subchart). <c>operator.defaultRuntime</c> is gone since v25.3.0.</summary>
    public static ChartKeys GpuOperator { get; } = new("gpu-operator", "v25.3.2",
    [
        "driver.enabled",
        "toolkit.enabled",
        "devicePlugin.enabled",
        "devicePlugin.config.create",
        "devicePlugin.config.name",
        "devicePlugin.config.default",
        "devicePlugin.config.data",
        "gfd.enabled",
        "dcgmExporter.enabled",
        "dcgmExporter.serviceMonitor.enabled",
        "migManager.enabled",
        "migManager.config.create",
        "migManager.config.name",
        "migManager.config.default",
        "migManager.config.data",
        "mig.strategy",
        "daemonsets.tolerations",
        "node-feature-discovery.worker.tolerations",
        "node-feature-discovery.master.nodeSelector",
    ]);

    /// <summary>KEDA.</summary>
    public static ChartKeys Keda { get; } = new("keda", "2.17.2",
    [
        "nodeSelector",
        "prometheus.operator.enabled",
        "prometheus.operator.serviceMonitor.enabled",
        "prometheus.metricServer.enabled",
        "prometheus.metricServer.serviceMonitor.enabled",
    ]);

    /// <summary>kube-prometheus-stack (and its kube-state-metrics, prometheus-node-exporter and grafana subcharts).</summary>
    public static ChartKeys KubePrometheusStack { get; } = new("kube-prometheus-stack", "75.15.1",
    [
        "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues",
        "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues",
        "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues",
        "prometheus.prometheusSpec.retention",
        "prometheus.prometheusSpec.nodeSelector",
        "alertmanager.alertmanagerSpec.nodeSelector",
        "prometheusOperator.nodeSelector",
        "kube-state-metrics.nodeSelector",
        "prometheus-node-exporter.tolerations",
        "grafana.nodeSelector",
        "grafana.sidecar.dashboards.enabled",
        "grafana.sidecar.dashboards.label",
        "grafana.sidecar.dashboards.labelValue",
        "grafana.sidecar.dashboards.searchNamespace",
    ]);

    /// <summary>The three charts.</summary>
    public static IReadOnlyList<ChartKeys> All { get; } = [GpuOperator, Keda, KubePrometheusStack];
}
