using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

public sealed class DevicePluginConfigTests
{
    [Fact]
    public void Parse_TimeSlicingWithRename_ReadsReplicasAndRename()
    {
        const string text = """
            version: v1
            flags:
              migStrategy: none
              failOnInitError: true
            sharing:
              timeSlicing:
                renameByDefault: true
                resources:
                - name: nvidia.com/gpu
                  replicas: 4
            """;

        var (config, errors) = DevicePluginConfig.Parse(text, "data[a10g]");

        Assert.Empty(errors);
        Assert.Equal(MigStrategies.None, config!.MigStrategy);
        Assert.Equal(new ReplicatedResource("nvidia.com/gpu", 4), Assert.Single(config.Sharing!.Resources));
        Assert.Equal("nvidia.com/gpu.shared", config.Sharing.AdvertisedName("nvidia.com/gpu"));
    }

    [Fact]
    public void Parse_ShortResourceName_GetsTheNvidiaPrefix()
    {
        var (config, _) = DevicePluginConfig.Parse("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: gpu\n      replicas: 2\n", "x");

        Assert.Equal("nvidia.com/gpu", config!.TimeSlicing!.Resources[0].Name);
    }

    [Fact]
    public void Parse_OneReplica_SharesNothing()
    {
        var (config, _) = DevicePluginConfig.Parse("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 1\n", "x");

        Assert.Null(config!.Sharing);
    }

    [Theory]
    [InlineData("version: v1\nsharing:\n  timeslicing: {}\n", "data[x].sharing.timeslicing: unknown field")]
    [InlineData("version: v1\nsharing:\n  timeSlicing:\n    resources: []\n", "data[x].sharing.timeSlicing.resources: required: at least one resource")]
    [InlineData("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n", "data[x].sharing.timeSlicing.resources[0].replicas: required")]
    [InlineData("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 0\n", "replicas: must be from 1 to 1024, got 0")]
    [InlineData("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: example.com/fpga\n      replicas: 2\n", "resources[0].name: must be nvidia.com/gpu or nvidia.com/mig-<profile>")]
    [InlineData("version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      rename: gpu-shared\n      replicas: 2\n", "rename: the device plugin ignores a per-resource rename")]
    [InlineData("version: v1\nflags:\n  migStrategy: both\n", "data[x].flags.migStrategy: must be one of none, single, mixed, got both")]
    [InlineData("version: v1\nresources:\n  gpus: []\n", "data[x].resources: custom resource names are not modelled")]
    [InlineData("flags: {}\n", "data[x].version: required")]
    public void Parse_BrokenEntry_NamesTheFieldAndReason(string text, string expected)
    {
        var (config, errors) = DevicePluginConfig.Parse(text, "data[x]");

        Assert.Null(config);
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("timeSlicing")]
    [InlineData("mps")]
    public void Parse_EmptyResourcesBesideAnotherError_ReportsBoth(string kind)
    {
        // An error elsewhere in the entry must not hide the empty list's own.
        var (config, errors) = DevicePluginConfig.Parse($"version: v2\nsharing:\n  {kind}:\n    resources: []\n", "data[x]");

        Assert.Null(config);
        Assert.Contains(errors, e => e.ToString().Contains("data[x].version: must be v1, got v2", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.ToString().Contains($"data[x].sharing.{kind}.resources: required: at least one resource", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ReadsBackEqual()
    {
        var config = new DevicePluginConfig(MigStrategies.Mixed, new ReplicatedResources(true, true, [new("nvidia.com/mig-1g.10gb", 2), new("nvidia.com/gpu", 3)]), null);

        var (read, errors) = DevicePluginConfig.Parse(config.Render(), "x");

        Assert.Empty(errors);
        Assert.Equal(config, read);
    }
}
