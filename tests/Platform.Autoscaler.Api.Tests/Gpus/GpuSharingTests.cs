using System.Collections.Immutable;
using k8s.Models;
using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

public sealed class GpuSharingTests
{
    private static readonly GpuModel A100 = GpuModels.Find("a100", 40960)!;
    private static readonly GpuModel H100 = GpuModels.Find("h100", 81920)!;
    private static readonly GpuModel H200 = GpuModels.Find("h200", 144384)!;
    private static readonly GpuModel T4 = GpuModels.Find("t4", 16384)!;

    private static V1ConfigMap Map(string name, params (string Key, string Value)[] data) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "gpu-operator" }, Data = data.ToDictionary(d => d.Key, d => d.Value) };

    private static readonly V1ConfigMap Plugin = Map("device-plugin-config",
        ("mixed", "version: v1\nflags:\n  migStrategy: mixed\n"),
        ("single", "version: v1\nflags:\n  migStrategy: single\n"),
        ("sliced-4", "version: v1\nflags:\n  migStrategy: none\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n"),
        ("shared-4", "version: v1\nsharing:\n  timeSlicing:\n    renameByDefault: true\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n"));

    private static GpuSharing Resolve(string? layout, string? plugin, params V1ConfigMap[] maps)
    {
        var config = GpuOperatorConfig.From(maps.Length == 0 ? [Plugin] : maps, GpuOperatorSource.ByContent);
        var (sharing, errors) = config.Resolve(new GpuSharingSpec(layout, plugin));
        Assert.Empty(errors);
        return sharing!;
    }

    [Fact]
    public void Advertised_All1g10gbMixedOnP4d_Is32MigDevicesAndNoWholeGpu()
    {
        var advertised = Resolve("all-1g.10gb", "mixed").Advertised(A100, 8);

        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/mig-1g.10gb"] = 32 }, advertised);
    }

    [Fact]
    public void Advertised_All1g10gbSingleOnP5_Is56Gpus() =>
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu"] = 56 }, Resolve("all-1g.10gb", "single").Advertised(H100, 8));

    [Fact]
    public void Advertised_BalancedMixed_IsEachProfileTimesTheGpus() =>
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/mig-1g.10gb"] = 16, ["nvidia.com/mig-2g.20gb"] = 8, ["nvidia.com/mig-3g.40gb"] = 8 },
            Resolve("all-balanced", "mixed").Advertised(H100, 8));

    [Fact]
    public void Advertised_TimeSlicedFourTimes_IsFourGpusPerGpu() =>
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu"] = 16 }, Resolve(null, "sliced-4").Advertised(GpuModels.Find("a10g", 22888), 4));

    [Fact]
    public void Advertised_TimeSlicedRenamed_IsGpuShared() =>
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu.shared"] = 4 }, Resolve(null, "shared-4").Advertised(T4, 1));

    [Fact]
    public void Advertised_StrategyNone_LeavesMigGpusOutAndKeepsWholeOnes()
    {
        // GPUs 0 and 1 split, 2 and 3 whole: with strategy none only the whole ones are advertised.
        var split = new MigDeviceSpec([], [0, 1], true, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("1g.10gb", 7)]));
        var sharing = new GpuSharing(new GpuSharingSpec("r", null), new MigLayout("r", [split]), MigStrategies.None, null);

        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu"] = 2 }, sharing.Advertised(H100, 4));
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu"] = 4 }, sharing.Advertised(T4, 4));
    }

    [Fact]
    public void Advertised_NothingDeclared_IsOneGpuPerGpu() =>
        Assert.Equal(new Dictionary<string, long> { ["nvidia.com/gpu"] = 8 }, GpuSharing.WholeGpus.Advertised(H100, 8));

    [Fact]
    public void Problem_MigOnT4_Refused() =>
        Assert.Equal("t4 (T4) has no MIG, so layout all-1g.10gb cannot split it", Resolve("all-1g.10gb", "mixed").Problem(T4, 1, "t4"));

    [Fact]
    public void Problem_SevenOf1g10gbOnA100_40GB_Refused()
    {
        var custom = Map("mig", ("config.yaml", "version: v1\nmig-configs:\n  seven-1g.10gb:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        \"1g.10gb\": 7\n"));

        var problem = Resolve("seven-1g.10gb", "mixed", custom, Plugin).Problem(A100, 8, "a100");

        Assert.Equal("layout seven-1g.10gb: a100 (A100-SXM4-40GB) takes at most 4 1g.10gb instance(s), not 7", problem);
        Assert.Null(Resolve("seven-1g.10gb", "mixed", custom, Plugin).Problem(H100, 8, "h100"));
    }

    [Fact]
    public void Problem_LayoutWithoutAnEntryForTheModel_Refused() =>
        Assert.Contains("has no entry for h200", Resolve("all-1g.10gb", "mixed").Problem(H200, 8, "h200"), StringComparison.Ordinal);

    [Fact]
    public void Problem_BalancedUnderSingleStrategy_Refused() =>
        Assert.Contains("single MIG strategy needs every GPU split into one and the same profile", Resolve("all-balanced", "single").Problem(H100, 8, "h100"), StringComparison.Ordinal);

    [Fact]
    public void Problem_TimeSlicingOnT4_IsFine() => Assert.Null(Resolve(null, "sliced-4").Problem(T4, 1, "t4"));

    [Fact]
    public void Resolve_UnknownLayoutAndConfig_NamesBothLabels()
    {
        var (sharing, errors) = GpuOperatorConfig.From([Plugin], GpuOperatorSource.ByContent).Resolve(new GpuSharingSpec("all-2g.30gb", "sliced-8"));

        Assert.Null(sharing);
        Assert.Collection(errors,
            e => Assert.StartsWith("spec.template.metadata.labels[nvidia.com/mig.config]: MIG layout all-2g.30gb is not in the GPU Operator's default MIG layouts", e.ToString(), StringComparison.Ordinal),
            e => Assert.StartsWith("spec.template.metadata.labels[nvidia.com/device-plugin.config]: device plugin config sliced-8 is not in ConfigMap gpu-operator/device-plugin-config (it has mixed, shared-4, single, sliced-4)", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_MigWithStrategyNone_Refused()
    {
        var (_, errors) = GpuOperatorConfig.From([Plugin], GpuOperatorSource.ByContent).Resolve(new GpuSharingSpec("all-1g.10gb", "sliced-4"));

        Assert.Contains("migStrategy is none (config sliced-4)", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_NamedConfigMapAbsent_UsesTheOperatorsDefaultLayouts()
    {
        var config = GpuOperatorConfig.From([Plugin], new GpuOperatorSource(MigConfigMap: "custom-mig", DevicePluginConfigMap: "device-plugin-config", DevicePluginDefaultConfig: "single"));

        Assert.Same(MigPartedConfig.OperatorDefaults, config.Mig);
        Assert.Equal(MigStrategies.Single, config.Resolve(GpuSharingSpec.None).Sharing!.MigStrategy);
        Assert.Equal(4, config.DevicePlugin.Count);
    }

    [Fact]
    public void From_TwoMigConfigsByContent_IsAnErrorNamingBoth()
    {
        var a = Map("a", ("config.yaml", "version: v1\nmig-configs: {}\n"));
        var b = Map("b", ("config.yaml", "version: v1\nmig-configs: {}\n"));

        var config = GpuOperatorConfig.From([a, b], GpuOperatorSource.ByContent);

        Assert.Equal(2, config.Errors.Length);
        Assert.Contains("one of 2 MIG manager configs (a, b)", config.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_BrokenEntry_ReportsItUnderTheConfigMapAndKeepsTheOthers()
    {
        var broken = Map("plugin", ("ok", "version: v1\n"), ("bad", "version: v1\nflags:\n  migStrategy: all\n"));

        var config = GpuOperatorConfig.From([broken], new GpuOperatorSource(DevicePluginConfigMap: "plugin"));

        Assert.Equal("ConfigMap/plugin: data[bad].flags.migStrategy: must be one of none, single, mixed, got all", Assert.Single(config.Errors).ToString());
        Assert.Equal(["ok"], config.DevicePlugin.Keys);
    }

    [Fact]
    public void Advertised_RandomAcceptedLayouts_MatchTheLayoutsInstances() => SeededProperty.Check(300, random =>
    {
        // Whatever layout a type accepts, what its node advertises is the layout's instances, GPU by GPU.
        var models = GpuModels.All.Where(m => m.SupportsMig).ToList();
        var model = models[random.Next(models.Count)];
        var count = random.Next(1, 9);
        var instances = model.Profiles.Where(_ => random.Next(3) == 0).ToDictionary(p => p.Name, p => random.Next(1, p.MaxInstances + 1));
        var layout = new MigLayout("r", [MigDeviceSpec.Partition(instances)]);
        var strategy = random.Next(2) == 0 ? MigStrategies.Mixed : MigStrategies.Single;
        var sharing = new GpuSharing(new GpuSharingSpec("r", null), layout, strategy, null);
        if (sharing.Problem(model, count, model.Name) is not null)
        {
            return MigPlacement.Problem(model, instances) is not null || strategy == MigStrategies.Single || instances.Count == 0;
        }

        var advertised = sharing.Advertised(model, count);
        return strategy == MigStrategies.Mixed
            ? instances.All(i => advertised[MigProfile.ResourceNameOf(i.Key)] == (long)i.Value * count) && !advertised.ContainsKey("nvidia.com/gpu")
            : advertised.Single().Value == (long)instances.Values.Sum() * count;
    });
}
