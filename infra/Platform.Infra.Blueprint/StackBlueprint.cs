using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Iam;
using Platform.Infra.Blueprint.Interruption;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.Monitoring;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint;

/// <summary>
/// Everything the Pulumi layers hand to Pulumi for one environment, computed without Pulumi. Creating it validates the
/// NodePools with the autoscaler's validator, so a bad NodePool stops the program (and <c>pulumi preview</c>).
/// </summary>
public sealed record StackBlueprint(
    StackSettings Settings,
    NodePoolSet NodePools,
    AutoscalerObjects Autoscaler,
    HelmRelease GpuOperator,
    HelmRelease Keda,
    HelmRelease KubePrometheusStack,
    CustomObject DcgmServiceMonitor,
    IReadOnlyList<CustomObject> PrometheusRules)
{
    /// <summary>The node role's name.</summary>
    public string NodeRoleName => IamPolicies.NodeRoleName(Settings);

    /// <summary>The autoscaler role's name.</summary>
    public string AutoscalerRoleName => IamPolicies.AutoscalerRoleName(Settings);

    /// <summary>The interruption queue's name.</summary>
    public string InterruptionQueueName => InterruptionQueue.QueueName(Settings.ClusterName);

    /// <summary>Builds and validates the blueprint.</summary>
    /// <exception cref="NodePoolValidationException">The NodePools fail the autoscaler's validator.</exception>
    public static StackBlueprint Create(StackSettings settings)
    {
        var pools = NodePoolValidator.EnsureValid(settings.Environment, NodePoolCatalog.Create(settings));
        return new StackBlueprint(
            settings,
            pools,
            AutoscalerManifests.Create(settings),
            HelmCharts.GpuOperator(settings),
            HelmCharts.Keda(settings),
            HelmCharts.KubePrometheusStack(settings),
            MonitoringObjects.DcgmServiceMonitor(),
            [MonitoringObjects.GpuAlerts(pools), MonitoringObjects.GpuCost(settings)]);
    }
}
