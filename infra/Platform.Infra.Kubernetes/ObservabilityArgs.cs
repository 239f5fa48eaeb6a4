using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Kubernetes;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// kube-prometheus-stack, the PrometheusRules and the dashboards, on the given cluster; the release waits for
/// <paramref name="DependsOn"/> (nodes and DNS for its pods).
/// </summary>
public sealed record ObservabilityArgs(
    HelmRelease KubePrometheusStack,
    IReadOnlyList<CustomObject> PrometheusRules,
    IReadOnlyDictionary<string, string> Dashboards,
    ProviderResource Provider,
    IReadOnlyList<Resource> DependsOn);
