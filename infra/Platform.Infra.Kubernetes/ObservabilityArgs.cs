using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Kubernetes;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>kube-prometheus-stack, the PrometheusRules and the dashboards, on the given cluster.</summary>
public sealed record ObservabilityArgs(
    HelmRelease KubePrometheusStack,
    IReadOnlyList<CustomObject> PrometheusRules,
    IReadOnlyDictionary<string, string> Dashboards,
    ProviderResource Provider);
