using Platform.Infra.Blueprint.Settings;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Settings;

public sealed class SettingsReaderTests
{
    [Fact]
    public void Read_Dev_TwoAzsOneNatSpotTrainingSmallLimits()
    {
        var dev = Stacks.Settings("dev");
        Assert.Equal("gpu-dev", dev.ClusterName);
        Assert.Equal("us-west-2", dev.Region);
        Assert.Equal(new NetworkSettings(2, "10.20.0.0/16", NatGatewayMode.Single), dev.Network);
        Assert.Equal("spot", dev.NodePools.TrainingCapacityType);
        Assert.Null(dev.Budgets.BusinessHours);
        Assert.True(dev.NodePools.Limits.TrainingGpus <= 8);
    }

    [Fact]
    public void Read_Prod_ThreeAzsNatPerAzOnDemandTrainingBusinessHours()
    {
        var prod = Stacks.Settings("prod");
        Assert.Equal(new NetworkSettings(3, "10.30.0.0/16", NatGatewayMode.PerAz), prod.Network);
        Assert.Equal("on-demand", prod.NodePools.TrainingCapacityType);
        Assert.Equal(new BusinessHours("0 9 * * MON-FRI", "10h"), prod.Budgets.BusinessHours);
        Assert.Equal(2, prod.Autoscaler.Replicas);
        Assert.True(prod.Gpu.MigManager);
    }

    [Fact]
    public void Read_ManyBadValues_ReportsEveryErrorWithItsKey()
    {
        var lookup = Stacks.With("dev",
            ("gpu-platform:network", """{"availabilityZones": 1, "vpcCidr": "10.0.0.0/33", "natGateways": "some"}"""),
            ("gpu-platform:systemNodes", """{"instanceType": "m6x.large", "minSize": 3, "desiredSize": 2, "maxSize": 2}"""),
            ("gpu-platform:autoscaler", """{"image": "repo/autoscaler:latest", "replicas": 0}"""));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:network.availabilityZones: 1 is too few", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:network.vpcCidr: '10.0.0.0/33' is not an IPv4 CIDR", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:network.natGateways: 'some' is not one of", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:systemNodes.instanceType: unknown instance type 'm6x.large'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:systemNodes.maxSize: 2 is below minSize 3", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:systemNodes.desiredSize:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:autoscaler.image: ':latest' is not reproducible", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:autoscaler.replicas: 0", StringComparison.Ordinal));
        Assert.Contains("Pulumi.dev.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeLimit_NamesTheLimit()
    {
        var lookup = Stacks.With("dev", ("gpu-platform:nodePools",
            """{"trainingCapacityType": "spot", "limits": {"tier1SpotGpus": -1, "tier2SpotGpus": 0, "tier3OnDemandGpus": 0, "trainingGpus": 0, "inferenceGpus": 0, "cpuCores": 0, "cpuMemory": "-5Gi"}}"""));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains("gpu-platform:nodePools.limits.tier1SpotGpus: -1 is below zero; use 0 to stop a pool from buying", error.Errors);
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:nodePools.limits.cpuMemory: '-5Gi'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.1/16", "has host bits set; did you mean 10.0.0.0/16?")]
    [InlineData("10.0.0.0/24", "the prefix must be between /16 and /20")]
    [InlineData("8.8.0.0/16", "is not in a private range")]
    [InlineData("not-a-cidr", "is not an IPv4 CIDR block")]
    public void Read_BadVpcCidr_SaysWhy(string cidr, string reason)
    {
        var lookup = Stacks.With("dev", ("gpu-platform:network", $$"""{"availabilityZones": 2, "vpcCidr": "{{cidr}}"}"""));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:network.vpcCidr:", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MissingRegionAndSection_ReportsRequired()
    {
        var lookup = Stacks.With("dev", ("aws:region", null), ("gpu-platform:charts", null));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains("aws:region: required", error.Errors);
        Assert.Contains("gpu-platform:charts: required", error.Errors);
    }

    [Fact]
    public void Read_TypoInKey_IsAnErrorNotADefault()
    {
        var lookup = Stacks.With("dev", ("gpu-platform:autoscaler", """{"image": "repo/a:1.0", "replica": 3}"""));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:autoscaler.replica: unknown key; known keys: image, logLevel, replicas", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_BadBusinessHours_ReportsCronAndDuration()
    {
        var lookup = Stacks.With("prod", ("gpu-platform:budgets",
            """{"defaultNodes": "150%", "businessHours": {"schedule": "every weekday", "duration": "ten hours"}}"""));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("prod", lookup));

        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:budgets.defaultNodes: '150%'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:budgets.businessHours.schedule: 'every weekday'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:budgets.businessHours.duration: 'ten hours'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NumbersAsStrings_AreAccepted()
    {
        // Pulumi config set without --path stores scalars as strings.
        var lookup = Stacks.With("dev", ("gpu-platform:network", """{"availabilityZones": "3", "vpcCidr": "10.1.0.0/16", "natGateways": "perAz"}"""));

        Assert.Equal(3, SettingsReader.Read("dev", lookup).Network.AvailabilityZoneCount);
    }

    [Fact]
    public void Parse_StackFile_FlattensObjectsToJson()
    {
        var config = StackConfigFile.Parse("""
            config:
              aws:region: eu-west-1
              gpu-platform:network:
                availabilityZones: 2
                vpcCidr: 10.0.0.0/16
                quoted: "2"
            """);

        Assert.Equal("eu-west-1", config["aws:region"]);
        Assert.Equal("""{"availabilityZones":2,"vpcCidr":"10.0.0.0/16","quoted":"2"}""", config["gpu-platform:network"]);
    }

    [Fact]
    public void Read_SectionNotJsonObject_SaysSo()
    {
        var lookup = Stacks.With("dev", ("gpu-platform:gpu", "{broken"), ("gpu-platform:charts", "v1"));

        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", lookup));

        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:gpu: not valid JSON", StringComparison.Ordinal));
        Assert.Contains("gpu-platform:charts: expected an object", error.Errors);
    }

    [Fact]
    public void Read_GpuDriverKeys_AreRefusedAsNoLongerRead()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", Stacks.With("dev",
            ("gpu-platform:gpu", """{"driverEnabled": true, "driverVersion": "570.172.08", "migManager": false, "migStrategy": "single"}"""))));

        Assert.Equal(2, error.Errors.Count);
        Assert.All(error.Errors, e => Assert.Contains("no longer read: GPU nodes boot the EKS AL2023 NVIDIA AMI", e, StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("gpu-platform:gpu.driverEnabled:", StringComparison.Ordinal));
    }
}
