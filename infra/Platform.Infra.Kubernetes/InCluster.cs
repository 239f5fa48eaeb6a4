using System.Collections.Immutable;
using Platform.Infra.Blueprint;
using Platform.Infra.Blueprint.Monitoring;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// Composes the in-cluster layer on a Kubernetes provider: observability first (its CRDs back every ServiceMonitor
/// and rule), then the GPU Operator and KEDA, the autoscaler with its CRDs, and last the NodePools.
/// </summary>
public static class InCluster
{
    /// <summary>Creates every in-cluster component of the blueprint; <paramref name="cluster"/> is where new nodes join.</summary>
    public static InClusterComponents Deploy(
        StackBlueprint blueprint, ProviderResource provider, ClusterCoordinates cluster, ComponentResourceOptions? options = null)
    {
        ComponentResourceOptions Options(IEnumerable<Resource>? dependsOn = null) =>
            ComponentResourceOptions.Merge(new ComponentResourceOptions { Providers = [provider], DependsOn = [.. dependsOn ?? []] }, options);

        var observability = new Observability("observability", new ObservabilityArgs(
            blueprint.KubePrometheusStack,
            blueprint.PrometheusRules,
            Dashboards.Names.ToImmutableSortedDictionary(n => n, Dashboards.Read, StringComparer.Ordinal),
            provider), Options());
        var gpuOperator = new GpuOperator("gpu-operator", new GpuOperatorArgs(
            blueprint.GpuOperator, blueprint.DcgmServiceMonitor, provider, [observability.Release]), Options());
        var keda = new Keda("keda", new KedaArgs(blueprint.Keda, provider, [observability.Release]), Options());
        var autoscaler = new Autoscaler("autoscaler", new AutoscalerArgs(
            blueprint.Autoscaler, [.. CrdManifests.FileNames.Select(CrdManifests.Read)], cluster, provider, [observability.Release]), Options());
        var nodePools = new NodePools("nodepools", new NodePoolsArgs(
            blueprint.NodePools, provider, [autoscaler.Crds, autoscaler.Deployment]), Options());
        return new InClusterComponents(observability, gpuOperator, keda, autoscaler, nodePools);
    }
}
