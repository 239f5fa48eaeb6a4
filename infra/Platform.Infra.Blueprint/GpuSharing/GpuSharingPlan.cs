using System.Collections.Immutable;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.GpuSharing;

/// <summary>
/// The environment's GPU sharing, declared once. From it come the shared NodePools (with the two labels the GPU
/// Operator reads), the MIG manager's config and the device plugin's config (the GPU Operator chart's values) and the
/// names the autoscaler reads them by (its environment), so the stack and the autoscaler cannot disagree.
/// </summary>
/// <param name="Pools">The pools whose GPUs are shared.</param>
/// <param name="MigManager">Whether the MIG manager runs (MIG pools are declared only then).</param>
/// <param name="DefaultMigStrategy">The cluster's MIG strategy (the chart's mig.strategy), and the default entry's.</param>
public sealed record GpuSharingPlan(ImmutableArray<SharedGpuPool> Pools, bool MigManager, string DefaultMigStrategy)
{
    /// <summary>The MIG manager's ConfigMap (the chart's migManager.config.name).</summary>
    public const string MigConfigMap = "gpu-sharing-mig-parted-config";

    /// <summary>The device plugin's ConfigMap (the chart's devicePlugin.config.name).</summary>
    public const string DevicePluginConfigMap = "gpu-sharing-device-plugin-config";

    /// <summary>The entry nodes without the label run: whole GPUs with the cluster's MIG strategy.</summary>
    public const string DefaultDevicePluginConfig = "default";

    /// <summary>The MIG pool of inference: each A100 40 GB or H100 80 GB split into 10 GB slices.</summary>
    public const string InferenceMigPool = "gpu-inference-mig";

    /// <summary>The time-sliced pool: four pods to an A10G or L4, for notebooks and small models.</summary>
    public const string SharedPool = "gpu-inference-shared";

    /// <summary>The plan of an environment: the MIG pool where the MIG manager runs, the time-sliced pool everywhere.</summary>
    public static GpuSharingPlan For(StackSettings settings)
    {
        var limits = settings.NodePools.Limits;
        var pools = ImmutableArray.CreateBuilder<SharedGpuPool>();
        if (settings.Gpu.MigManager)
        {
            // Same labels and weight as the whole-GPU inference pool: a pod selecting workload=inference may land on
            // either, and the autoscaler picks by price per pod (32 one-slice pods to a p4d, 7 to a p5.4xlarge).
            pools.Add(new SharedGpuPool(InferenceMigPool, 60,
                ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("node-type", "gpu-inference"), KeyValuePair.Create("workload", "inference")]),
                ["p4d", "p5"], [GpuModels.Find("a100", 40960)!, GpuModels.Find("h100", 81920)!],
                [WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand],
                "all-1g.10gb", MigStrategies.Single, 1, false, WellKnownResources.NvidiaGpu, limits.InferenceMigSlices));
        }

        pools.Add(new SharedGpuPool(SharedPool, 40,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("node-type", "gpu-shared"), KeyValuePair.Create("workload", "inference-shared")]),
            ["g5", "g6"], [GpuModels.Find("a10g", 22888)!, GpuModels.Find("l4", 22888)!],
            [WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand],
            null, settings.Gpu.MigStrategy, 4, true, WellKnownResources.NvidiaGpuShared, limits.SharedGpuReplicas));
        return new GpuSharingPlan(pools.ToImmutable(), settings.Gpu.MigManager, settings.Gpu.MigStrategy);
    }

    /// <summary>The MIG manager's config: all-disabled (its default) and every layout a pool uses, per GPU model.</summary>
    public MigPartedConfig MigConfig
    {
        get
        {
            var layouts = ImmutableSortedDictionary.CreateBuilder<string, MigLayout>(StringComparer.Ordinal);
            layouts[MigPartedConfig.AllDisabled] = MigPartedConfig.OperatorDefaults.Layouts[MigPartedConfig.AllDisabled];
            foreach (var group in Pools.Where(p => p.MigLayout is not null).GroupBy(p => p.MigLayout!))
            {
                layouts[group.Key] = new MigLayout(group.Key, [.. group.SelectMany(p => p.Layout.Specs).Distinct()]);
            }

            return new MigPartedConfig(layouts.ToImmutable());
        }
    }

    /// <summary>The device plugin's entries: the default one and one per pool.</summary>
    public ImmutableSortedDictionary<string, DevicePluginConfig> DevicePluginConfigs =>
        Pools.Select(p => KeyValuePair.Create(p.DevicePluginConfig, p.DevicePlugin))
            .Prepend(KeyValuePair.Create(DefaultDevicePluginConfig, DevicePluginConfig.Strategy(DefaultMigStrategy)))
            .ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The names the autoscaler reads the operator's configs by: the same the chart is given.</summary>
    public GpuOperatorSource OperatorSource => new(Helm.HelmCharts.GpuOperatorNamespace, MigConfigMap, DevicePluginConfigMap, DefaultDevicePluginConfig, DefaultMigStrategy);

    /// <summary>The ConfigMaps the GPU Operator chart makes of <see cref="MigConfig"/> and <see cref="DevicePluginConfigs"/>.</summary>
    public IReadOnlyList<V1ConfigMap> ConfigMaps() =>
    [
        .. MigManager ? [Map(MigConfigMap, new Dictionary<string, string> { [MigPartedConfig.ConfigMapKey] = MigConfig.Render() })] : Array.Empty<V1ConfigMap>(),
        Map(DevicePluginConfigMap, DevicePluginConfigs.ToDictionary(c => c.Key, c => c.Value.Render(), StringComparer.Ordinal)),
    ];

    private static V1ConfigMap Map(string name, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Helm.HelmCharts.GpuOperatorNamespace },
        Data = data,
    };

    /// <summary>Every problem with the plan; <c>pulumi preview</c> fails with them.</summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. Pools.SelectMany(p => p.Problems()),
        .. Pools.Where(p => p.MigLayout is not null && !MigManager).Select(p => $"{p.Name}: a MIG layout needs the MIG manager (gpu.migManager: true)"),
    ];
}
