using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Core.Tests.Catalog;

public sealed class GpuSharingCheckTests
{
    private static readonly IReadOnlyList<InstanceType> Types = [.. BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t))];

    private static readonly GpuOperatorConfig Config = GpuOperatorConfig.From(
    [
        new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "mig" },
            Data = new Dictionary<string, string>
            {
                ["config.yaml"] = "version: v1\nmig-configs:\n  all-1g.10gb:\n    - devices: all\n      mig-enabled: true\n      mig-devices:\n        \"1g.10gb\": 7\n",
            },
        },
        new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "plugin" }, Data = new Dictionary<string, string> { ["mixed"] = "version: v1\nflags:\n  migStrategy: mixed\n" } },
    ], GpuOperatorSource.ByContent);

    private static NodePool Pool(string layout, params (string Key, string[] Values)[] requirements) => new()
    {
        Metadata = new V1ObjectMeta { Name = "shared" },
        Spec = new NodePoolSpec
        {
            Template = new NodeClaimTemplate
            {
                Metadata = new NodeClaimTemplateMetadata
                {
                    Labels = new Dictionary<string, string> { [NvidiaLabels.MigConfig] = layout, [NvidiaLabels.DevicePluginConfig] = "mixed" },
                },
                Spec = new NodeClaimTemplateSpec
                {
                    Requirements = [.. requirements.Select(r => new NodeSelectorRequirementWithMinValues { Key = r.Key, Operator = Operators.In, Values = r.Values })],
                    NodeClassRef = new NodeClassReference { Group = "karpenter.k8s.aws", Kind = "EC2NodeClass", Name = "gpu" },
                },
            },
        },
    };

    [Fact]
    public void Check_MigOnT4_RefusedAtTheLabelNamingTheTypes()
    {
        var (sharing, errors) = GpuSharingCheck.Check(Pool("all-1g.10gb", (WellKnownLabels.InstanceGpuName, ["t4"])), Config, Types);

        Assert.Null(sharing);
        var error = Assert.Single(errors);
        Assert.Equal("spec.template.metadata.labels[nvidia.com/mig.config]", error.Path);
        Assert.StartsWith("g4dn.12xlarge, g4dn.16xlarge, g4dn.2xlarge, g4dn.4xlarge and 3 more cannot take it: t4 (T4) has no MIG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Seven1g10gbOnA100_40GB_RefusedWithTheFix()
    {
        var (sharing, errors) = GpuSharingCheck.Check(Pool("all-1g.10gb", (WellKnownLabels.InstanceGpuName, ["a100", "h100"])), Config, Types);

        Assert.Null(sharing);
        var error = Assert.Single(errors);
        Assert.Contains("p4d.24xlarge cannot take it: layout all-1g.10gb: a100 (A100-SXM4-40GB) takes at most 4 1g.10gb instance(s), not 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("karpenter.k8s.aws/instance-gpu-name In [a100, h100] and karpenter.k8s.aws/instance-gpu-memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LayoutEveryAdmittedTypeTakes_IsTheSharing()
    {
        var (sharing, errors) = GpuSharingCheck.Check(Pool("all-1g.10gb", (WellKnownLabels.InstanceType, ["p5.48xlarge", "p4de.24xlarge"])), Config, Types);

        Assert.Empty(errors);
        Assert.Equal(MigStrategies.Mixed, sharing!.MigStrategy);
    }

    [Fact]
    public void Check_PoolAdmittingNoGpuType_Refused()
    {
        var (_, errors) = GpuSharingCheck.Check(Pool("all-1g.10gb", (WellKnownLabels.InstanceFamily, ["m5"])), Config, Types);

        Assert.Equal("the pool shares GPUs, but its requirements admit no NVIDIA GPU instance type", Assert.Single(errors).Message);
    }

    [Fact]
    public void Check_UnknownLayout_RefusedAtTheLabel()
    {
        var (_, errors) = GpuSharingCheck.Check(Pool("all-balanced", (WellKnownLabels.InstanceType, ["p5.48xlarge"])), Config, Types);

        Assert.StartsWith("MIG layout all-balanced is not in ConfigMap mig (it has all-1g.10gb)", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
