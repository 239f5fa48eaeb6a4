namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// One environment's settings, read from <c>Pulumi.&lt;env&gt;.yaml</c> by <see cref="SettingsReader"/> and valid by
/// construction there: every value the stack needs, typed.
/// </summary>
public sealed record StackSettings(
    string Environment,
    string ClusterName,
    string Region,
    string KubernetesVersion,
    NetworkSettings Network,
    SystemNodeGroupSettings SystemNodes,
    ChartVersions Charts,
    GpuOperatorSettings Gpu,
    AutoscalerSettings Autoscaler,
    NodePoolSettings NodePools,
    BudgetSettings Budgets);
