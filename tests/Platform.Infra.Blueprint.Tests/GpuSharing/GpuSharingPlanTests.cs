using System.Collections.Immutable;
using System.Text.Json;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;
using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.GpuSharing;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.GpuSharing;

/// <summary>
/// The GPU Operator's MIG manager and device plugin configs (chart values) and the shared NodePools come from one
/// definition, <see cref="GpuSharingPlan"/>: read back as the chart makes them into ConfigMaps, with the names the
/// autoscaler's environment gives, by the autoscaler's own reader over the bundled catalog, every pool's sharing
/// resolves and every type it admits advertises what the plan says.
/// </summary>
public sealed class GpuSharingPlanTests
{
    private static readonly IReadOnlyList<InstanceType> Types = [.. BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t))];

    /// <summary>The ConfigMaps the chart's templates (mig_config.yaml, plugin_config.yaml) render from the values.</summary>
    private static List<V1ConfigMap> ChartConfigMaps(HelmRelease release)
    {
        var maps = new List<V1ConfigMap>();
        var values = release.Values;
        foreach (var component in new[] { "migManager", "devicePlugin" })
        {
            if (values.GetProperty(component).TryGetProperty("config", out var config) && config.GetProperty("create").GetBoolean())
            {
                maps.Add(new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta { Name = config.GetProperty("name").GetString(), NamespaceProperty = release.Namespace },
                    Data = config.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                });
            }
        }

        return maps;
    }

    /// <summary>Where the autoscaler's Deployment tells it to read them (its environment, with the service's defaults).</summary>
    private static GpuOperatorSource AutoscalerReads(AutoscalerObjects objects)
    {
        var env = objects.Deployment.Spec.Template.Spec.Containers[0].Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        var defaults = new Platform.Autoscaler.Service.RunSettings();
        return new GpuOperatorSource(
            env.GetValueOrDefault("GPU_OPERATOR_NAMESPACE", defaults.GpuOperatorNamespace),
            env.GetValueOrDefault("MIG_CONFIG_MAP", defaults.MigConfigMap),
            env.GetValueOrDefault("DEVICE_PLUGIN_CONFIG_MAP"),
            env.GetValueOrDefault("DEVICE_PLUGIN_DEFAULT_CONFIG"),
            env.GetValueOrDefault("MIG_STRATEGY", defaults.MigStrategy));
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void ChartValuesAndNodePools_ReadBackByTheAutoscaler_AgreeOnEveryPoolsSharing(string stack)
    {
        var settings = Stacks.Settings(stack);
        var release = HelmCharts.GpuOperator(settings);
        var config = GpuOperatorConfig.From(ChartConfigMaps(release), AutoscalerReads(AutoscalerManifests.Create(settings)));
        var plan = GpuSharingPlan.For(settings);

        Assert.Empty(config.Errors);
        Assert.Equal(settings.Gpu.MigManager ? $"ConfigMap gpu-operator/{GpuSharingPlan.MigConfigMap}" : "the GPU Operator's default MIG layouts (v25.3.2)", config.MigSource);
        foreach (var pool in NodePoolCatalog.Create(settings).NodePools)
        {
            var (sharing, errors) = GpuSharingCheck.Check(pool, config, Types);
            Assert.True(errors.Count == 0, $"{pool.Metadata.Name}: {string.Join("; ", errors)}");
            if (plan.Pools.SingleOrDefault(p => p.Name == pool.Metadata.Name) is not { } declared)
            {
                Assert.False(sharing!.ChangesResources, $"{pool.Metadata.Name} shares GPUs it was not declared to");
                continue;
            }

            Assert.Equal(declared.MigStrategy, sharing!.MigStrategy);
            Assert.Equal(declared.MigLayout, sharing.Layout?.Name);
            Assert.Equal(declared.Replicas, sharing.Sharing?.Resources.Single().Replicas ?? 1);
        }
    }

    [Fact]
    public void Prod_MigPool_AdvertisesTheProfileTablesSlicesAsGpus()
    {
        var settings = Stacks.Settings("prod");
        var config = GpuOperatorConfig.From(ChartConfigMaps(HelmCharts.GpuOperator(settings)), AutoscalerReads(AutoscalerManifests.Create(settings)));
        var pool = NodePoolCatalog.Create(settings).NodePools.Single(p => p.Metadata.Name == GpuSharingPlan.InferenceMigPool);
        var (sharing, _) = GpuSharingCheck.Check(pool, config, Types);

        var offered = SharedGpuTypes.Apply(Types, sharing!).Offered.ToDictionary(t => t.Name);

        // all-1g.10gb under the single strategy: 4 per A100 40 GB, 7 per H100 80 GB, each a nvidia.com/gpu.
        Assert.Equal(8 * GpuModels.Find("a100", 40960)!.Profile("1g.10gb")!.MaxInstances, offered["p4d.24xlarge"].Capacity[WellKnownResources.NvidiaGpu]);
        Assert.Equal(8 * GpuModels.Find("h100", 81920)!.Profile("1g.10gb")!.MaxInstances, offered["p5.48xlarge"].Capacity[WellKnownResources.NvidiaGpu]);
        Assert.Equal(7, offered["p5.4xlarge"].Capacity[WellKnownResources.NvidiaGpu]);
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void SharedPool_AdvertisesFourSharedReplicasPerGpu(string stack)
    {
        var settings = Stacks.Settings(stack);
        var config = GpuOperatorConfig.From(ChartConfigMaps(HelmCharts.GpuOperator(settings)), AutoscalerReads(AutoscalerManifests.Create(settings)));
        var pool = NodePoolCatalog.Create(settings).NodePools.Single(p => p.Metadata.Name == GpuSharingPlan.SharedPool);
        var (sharing, _) = GpuSharingCheck.Check(pool, config, Types);

        var offered = SharedGpuTypes.Apply(Types, sharing!).Offered.ToDictionary(t => t.Name);

        Assert.Equal(4, offered["g5.xlarge"].Capacity[WellKnownResources.NvidiaGpuShared]);
        Assert.Equal(16, offered["g6.12xlarge"].Capacity[WellKnownResources.NvidiaGpuShared]);
        Assert.Equal(0, offered["g5.xlarge"].Capacity[WellKnownResources.NvidiaGpu]);
    }

    [Fact]
    public void Dev_WithoutTheMigManager_DeclaresNoMigPoolAndNoMigConfig()
    {
        var settings = Stacks.Settings("dev");

        Assert.DoesNotContain(NodePoolCatalog.Create(settings).NodePools, p => p.Metadata.Name == GpuSharingPlan.InferenceMigPool);
        Assert.False(HelmCharts.GpuOperator(settings).Values.GetProperty("migManager").TryGetProperty("config", out _));
    }

    [Fact]
    public void MigConfig_HasTheMigManagersDefaultLayoutAndAnEntryPerGpuModel()
    {
        var values = HelmCharts.GpuOperator(Stacks.Settings("prod")).Values.GetProperty("migManager").GetProperty("config");
        var (config, errors) = MigPartedConfig.Parse(values.GetProperty("data").GetProperty("config.yaml").GetString()!, "config.yaml");

        Assert.Empty(errors);
        Assert.Equal(MigPartedConfig.AllDisabled, values.GetProperty("default").GetString());
        Assert.Equal(["all-1g.10gb", MigPartedConfig.AllDisabled], config!.Layouts.Keys);
        Assert.Equal(["0x20B010DE", "0x233010DE"], config.Layouts["all-1g.10gb"].Specs.SelectMany(s => s.DeviceFilter));
    }

    [Fact]
    public void Validator_PoolLabelNamingAnEntryTheChartDoesNotGet_FailsPreview()
    {
        var settings = Stacks.Settings("prod");
        var set = NodePoolCatalog.Create(settings);
        var broken = set with
        {
            NodePools = [.. set.NodePools.Select(p => p.Metadata.Name != GpuSharingPlan.SharedPool ? p : p with
            {
                Spec = p.Spec! with
                {
                    Template = p.Spec.Template! with
                    {
                        Metadata = new NodeClaimTemplateMetadata
                        {
                            Labels = new Dictionary<string, string>(p.Spec.Template.Metadata!.Labels!) { [NvidiaLabels.DevicePluginConfig] = "a10g-sliced-8" },
                        },
                    },
                },
            })],
        };

        var errors = NodePoolValidator.Validate("prod", broken);

        Assert.Contains($"nodepools/prod.yaml: NodePool/{GpuSharingPlan.SharedPool}: spec.template.metadata.labels[nvidia.com/device-plugin.config]: device plugin config a10g-sliced-8 is not in ConfigMap gpu-operator/{GpuSharingPlan.DevicePluginConfigMap}", errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_LayoutAGpuModelCannotTake_FailsPreview()
    {
        var settings = Stacks.Settings("prod");
        var set = NodePoolCatalog.Create(settings);
        var plan = set.GpuSharing!;
        var h200 = plan with { Pools = [.. plan.Pools.Select(p => p.MigLayout is null ? p : p with { Gpus = [.. p.Gpus, GpuModels.Find("h200", 144384)!] })] };

        var errors = NodePoolValidator.Validate("prod", set with { GpuSharing = h200 });

        Assert.Contains("nodepools/prod.yaml: GPU sharing gpu-inference-mig: layout all-1g.10gb has no entry for h200 (H200-SXM-141GB): its GPUs would stay whole", errors);
    }
}
