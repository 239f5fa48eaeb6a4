using System.Collections.Immutable;
using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

public sealed class MigPartedConfigTests
{
    private static readonly GpuModel A100 = GpuModels.Find("a100", 40960)!;
    private static readonly GpuModel H100 = GpuModels.Find("h100", 81920)!;
    private static readonly GpuModel H200 = GpuModels.Find("h200", 144384)!;
    private static readonly GpuModel A30 = GpuModels.Find("a30", 24576)!;

    private static IReadOnlyDictionary<string, int>? On(string layout, GpuModel model) =>
        MigPartedConfig.OperatorDefaults.Layouts[layout].For(model, 0)?.MigDevices;

    [Fact]
    public void OperatorDefaults_All1g10gb_IsSevenOnH100AndFourOnA100_40GB()
    {
        Assert.Equal(7, On("all-1g.10gb", H100)!["1g.10gb"]);
        Assert.Equal(4, On("all-1g.10gb", A100)!["1g.10gb"]);
        Assert.Null(On("all-1g.10gb", H200));
    }

    [Fact]
    public void OperatorDefaults_AllBalanced_IsTheOperatorsPerModelLayout()
    {
        Assert.Equal(new Dictionary<string, int> { ["1g.5gb"] = 2, ["2g.10gb"] = 1, ["3g.20gb"] = 1 }, On("all-balanced", A100));
        Assert.Equal(new Dictionary<string, int> { ["1g.18gb"] = 2, ["2g.35gb"] = 1, ["3g.71gb"] = 1 }, On("all-balanced", H200));
        Assert.Equal(new Dictionary<string, int> { ["1g.6gb"] = 2, ["2g.12gb"] = 1 }, On("all-balanced", A30));
    }

    [Fact]
    public void OperatorDefaults_MediaExtensionLayout_IsNamedWithADot() =>
        Assert.Equal(1, On("all-1g.10gb.me", H100)!["1g.10gb+me"]);

    [Fact]
    public void OperatorDefaults_AllDisabled_TurnsMigOff() =>
        Assert.False(MigPartedConfig.OperatorDefaults.Layouts["all-disabled"].For(H100, 3)!.MigEnabled);

    [Fact]
    public void Parse_OperatorDefaultsRendered_ReadsBackEqual()
    {
        var (read, errors) = MigPartedConfig.Parse(MigPartedConfig.OperatorDefaults.Render(), "data[config.yaml]");

        Assert.Empty(errors);
        Assert.Equal(MigPartedConfig.OperatorDefaults, read);
    }

    [Fact]
    public void Parse_RandomLayouts_RenderAndReadBackEqual() => SeededProperty.Check(200, random =>
    {
        var models = GpuModels.All.Where(m => m.SupportsMig).ToList();
        var layouts = Enumerable.Range(0, random.Next(1, 4)).Select(i => new MigLayout($"custom-{i}",
        [
            .. Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
            {
                var model = models[random.Next(models.Count)];
                var enabled = random.Next(4) > 0;
                return new MigDeviceSpec(
                    random.Next(2) == 0 ? [] : [model.PciDeviceId!],
                    random.Next(2) == 0 ? null : [.. Enumerable.Range(0, random.Next(1, 4))],
                    enabled,
                    enabled ? model.Profiles.Where(_ => random.Next(3) == 0).ToImmutableSortedDictionary(p => p.Name, p => random.Next(0, p.MaxInstances + 1), StringComparer.Ordinal)
                        : ImmutableSortedDictionary<string, int>.Empty);
            }),
        ])).ToImmutableSortedDictionary(l => l.Name, l => l, StringComparer.Ordinal);
        var config = new MigPartedConfig(layouts);
        var (read, errors) = MigPartedConfig.Parse(config.Render(), "x");
        return errors.Count == 0 && config.Equals(read);
    });

    [Theory]
    [InlineData("version: v2\nmig-configs: {}\n", "data[config.yaml].version: must be v1, got v2")]
    [InlineData("mig-configs: {}\n", "data[config.yaml].version: required (v1)")]
    [InlineData("version: v1\nmig-config: {}\n", "data[config.yaml].mig-config: unknown field")]
    [InlineData("version: v1\nmig-configs:\n  x:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        \"1g.10gb\": seven\n", "data[config.yaml].mig-configs.x[0].mig-devices[1g.10gb]: must be an integer")]
    [InlineData("version: v1\nmig-configs:\n  x:\n    - devices: some\n      mig-enabled: true\n", "data[config.yaml].mig-configs.x[0].devices: must be \"all\" or a list")]
    [InlineData("version: v1\nmig-configs:\n  x:\n    - devices: all\n", "data[config.yaml].mig-configs.x[0].mig-enabled: required")]
    [InlineData("version: v1\nmig-configs:\n  x:\n    - devices: all\n      mig-enabled: false\n      mig-devices:\n        \"1g.10gb\": 1\n", "mig-devices: must be empty when mig-enabled is false")]
    [InlineData("version: [v1\n", "data[config.yaml]: not YAML")]
    public void Parse_BrokenConfig_NamesTheFieldAndReason(string text, string expected)
    {
        var (read, errors) = MigPartedConfig.Parse(text, "data[config.yaml]");

        Assert.True(read is null || !read.Layouts.ContainsKey("x"));
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_OneBrokenLayout_KeepsTheOthers()
    {
        const string text = "version: v1\nmig-configs:\n  good:\n    - devices: all\n      mig-enabled: false\n  bad:\n    - devices: all\n      mig-enabled: maybe\n";

        var (read, errors) = MigPartedConfig.Parse(text, "data[config.yaml]");

        Assert.Equal(["good"], read!.Layouts.Keys);
        Assert.Equal("data[config.yaml].mig-configs.bad[0].mig-enabled: must be a boolean, got a string (\"maybe\")", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_WrongVersion_GivesNoConfig() => Assert.Null(MigPartedConfig.Parse("version: v2\nmig-configs: {}\n", "x").Config);

    [Fact]
    public void For_SeveralEntriesMatch_TheLastWins()
    {
        var layout = new MigLayout("x",
        [
            MigDeviceSpec.Partition(new Dictionary<string, int> { ["1g.10gb"] = 7 }),
            new MigDeviceSpec([], [1], false, ImmutableSortedDictionary<string, int>.Empty),
        ]);

        Assert.True(layout.For(H100, 0)!.MigEnabled);
        Assert.False(layout.For(H100, 1)!.MigEnabled);
    }
}
