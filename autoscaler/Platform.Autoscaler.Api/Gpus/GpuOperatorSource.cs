namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// Where the GPU Operator keeps the configs a pool's sharing labels point into, as its chart values name them: the
/// MIG manager's config (<c>migManager.config.name</c>), the device plugin's (<c>devicePlugin.config.name</c>) and its
/// default entry (<c>devicePlugin.config.default</c>), and the cluster's MIG strategy (<c>mig.strategy</c>). The stack
/// hands the same values to the chart and to the autoscaler.
/// </summary>
/// <param name="Namespace">The operator's namespace, where both ConfigMaps live.</param>
/// <param name="MigConfigMap">The MIG manager's ConfigMap; null recognizes it by its content (<c>config.yaml</c> with
/// <c>mig-configs</c>). Without one, the operator's default layouts apply.</param>
/// <param name="DevicePluginConfigMap">The device plugin's ConfigMap; null recognizes it by its content.</param>
/// <param name="DevicePluginDefaultConfig">The entry a node without the <c>nvidia.com/device-plugin.config</c> label runs.</param>
/// <param name="MigStrategy">The MIG strategy of entries that set none.</param>
public sealed record GpuOperatorSource(
    string Namespace = GpuOperatorSource.DefaultNamespace,
    string? MigConfigMap = null,
    string? DevicePluginConfigMap = null,
    string? DevicePluginDefaultConfig = null,
    string MigStrategy = MigStrategies.Single)
{
    /// <summary>The namespace the stack installs the operator in.</summary>
    public const string DefaultNamespace = "gpu-operator";

    /// <summary>The operator's own MIG manager ConfigMap, with its default layouts.</summary>
    public const string OperatorMigConfigMap = "default-mig-parted-config";

    /// <summary>Recognize the ConfigMaps by content, strategy single: how <c>plan</c> and <c>validate</c> read files.</summary>
    public static GpuOperatorSource ByContent { get; } = new();
}
