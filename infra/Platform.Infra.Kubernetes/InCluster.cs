using System.Collections.Immutable;
using Platform.Infra.Blueprint;
using Platform.Infra.Blueprint.Monitoring;
using Platform.Infra.Blueprint.Ordering;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// Composes the in-cluster layer on a Kubernetes provider: observability first (its CRDs back every ServiceMonitor
/// and rule), then the GPU Operator and KEDA, the autoscaler with its CRDs, and last the NodePools, each waiting for
/// the stages <see cref="StackOrder"/> names (the cloud layer's among them, declared in <c>stages</c> before).
/// </summary>
public static class InCluster
{
    /// <summary>Creates every in-cluster component of the blueprint; <paramref name="cluster"/> is where new nodes join.</summary>
    public static InClusterComponents Deploy(
        StackBlueprint blueprint, ProviderResource provider, ClusterCoordinates cluster, StagedResources stages, ComponentResourceOptions? options = null)
    {
        ComponentResourceOptions Options() => ComponentResourceOptions.Merge(new ComponentResourceOptions { Providers = [provider] }, options);

        var observability = new Observability("observability", new ObservabilityArgs(
            blueprint.KubePrometheusStack,
            blueprint.PrometheusRules,
            Dashboards.Names.ToImmutableSortedDictionary(n => n, Dashboards.Read, StringComparer.Ordinal),
            provider,
            stages.DependenciesOf(Stage.Monitoring)), Options());
        stages.Add(Stage.Monitoring, observability.Release);
        var gpuOperator = new GpuOperator("gpu-operator", new GpuOperatorArgs(
            blueprint.GpuOperator, blueprint.DcgmServiceMonitor, provider, stages.DependenciesOf(Stage.GpuOperator)), Options());
        stages.Add(Stage.GpuOperator, gpuOperator.Release);
        var keda = new Keda("keda", new KedaArgs(blueprint.Keda, provider, stages.DependenciesOf(Stage.Keda)), Options());
        stages.Add(Stage.Keda, keda.Release);
        var autoscaler = new Autoscaler("autoscaler", new AutoscalerArgs(
            blueprint.Autoscaler, [.. CrdManifests.FileNames.Select(CrdManifests.Read)], cluster, provider, stages), Options());
        var nodePools = new NodePools("nodepools", new NodePoolsArgs(blueprint.NodePools, provider, stages), Options());
        return new InClusterComponents(observability, gpuOperator, keda, autoscaler, nodePools);
    }
}
