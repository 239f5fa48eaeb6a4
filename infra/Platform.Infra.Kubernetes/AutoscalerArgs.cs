using Platform.Infra.Blueprint.Autoscaler;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The autoscaler's objects and CRDs (YAML, generated from the Api types); <paramref name="Cluster"/> fills its
/// cluster ConfigMap; <paramref name="DependsOn"/> brings the monitoring CRDs its ServiceMonitor needs.
/// </summary>
public sealed record AutoscalerArgs(
    AutoscalerObjects Objects,
    IReadOnlyList<string> Crds,
    ClusterCoordinates Cluster,
    ProviderResource Provider,
    IReadOnlyList<Resource> DependsOn);
