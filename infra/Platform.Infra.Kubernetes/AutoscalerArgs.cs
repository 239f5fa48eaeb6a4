using Platform.Infra.Blueprint.Autoscaler;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The autoscaler's objects and CRDs (YAML, generated from the Api types); <paramref name="Cluster"/> fills its
/// cluster ConfigMap; <paramref name="Stages"/> gives the CRDs and the Deployment what they wait for (the Deployment:
/// its identity, nodes, DNS, and the AWS resources it needs until its last termination on destroy) and the
/// monitoring CRDs its ServiceMonitor needs, and receives the CRDs and the Deployment.
/// </summary>
public sealed record AutoscalerArgs(
    AutoscalerObjects Objects,
    IReadOnlyList<string> Crds,
    ClusterCoordinates Cluster,
    ProviderResource Provider,
    StagedResources Stages);
