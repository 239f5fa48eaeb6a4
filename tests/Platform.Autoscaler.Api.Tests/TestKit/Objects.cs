using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Api.Tests.TestKit;

/// <summary>Valid objects to vary with <c>with</c> expressions.</summary>
internal static class Objects
{
    public static NodeSelectorRequirementWithMinValues Requirement(string key, string op, params string[] values) =>
        new() { Key = key, Operator = op, Values = values.Length > 0 ? [.. values] : null };

    public static NodePoolSpec PoolSpec => new()
    {
        Template = new NodeClaimTemplate
        {
            Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["workload"] = "inference" } },
            Spec = new NodeClaimTemplateSpec
            {
                Requirements =
                [
                    Requirement(WellKnownLabels.InstanceFamily, Operators.In, "g5", "g4dn"),
                    Requirement(WellKnownLabels.CapacityType, Operators.In, "spot", "on-demand"),
                ],
                Taints = [new Taint { Key = WellKnownTaints.NvidiaGpu, Value = "true", Effect = TaintEffects.NoSchedule }],
                NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "gpu" },
                ExpireAfter = "720h",
            },
        },
        Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("16"), ["cpu"] = new("1000") },
        Disruption = new Disruption
        {
            ConsolidationPolicy = ConsolidationPolicies.WhenEmptyOrUnderutilized,
            ConsolidateAfter = "30s",
            Budgets = [new Budget { Nodes = "10%" }],
        },
        Weight = 100,
    };

    public static NodePool Pool(NodePoolSpec? spec = null, string name = "gpu") =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = spec ?? PoolSpec };

    public static NodeClaimTemplateSpec TemplateSpec => PoolSpec.Template!.Spec!;

    public static NodePool PoolWith(NodeClaimTemplateSpec templateSpec) =>
        Pool(PoolSpec with { Template = PoolSpec.Template! with { Spec = templateSpec } });

    public static NodePool PoolWith(Disruption disruption) => Pool(PoolSpec with { Disruption = disruption });

    public static EC2NodeClassSpec ClassSpec => new()
    {
        Role = "KarpenterNodeRole-gpu",
        AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
        SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = "gpu-cluster" } }],
        SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = "gpu-cluster" } }],
        BlockDeviceMappings =
        [
            new BlockDeviceMapping
            {
                DeviceName = "/dev/xvda",
                RootVolume = true,
                Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("200Gi"), VolumeType = "gp3", Encrypted = true, Iops = 3000, Throughput = 125 },
            },
        ],
        MetadataOptions = new MetadataOptions { HttpTokens = "required", HttpPutResponseHopLimit = 1 },
    };

    public static EC2NodeClass NodeClass(EC2NodeClassSpec? spec = null, string name = "gpu") =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = spec ?? ClassSpec };

    public static NodeClaim Claim() => new()
    {
        Metadata = new V1ObjectMeta { Name = "gpu-abcde" },
        Spec = new NodeClaimSpec
        {
            Requirements = [Requirement(WellKnownLabels.InstanceType, Operators.In, "g5.xlarge")],
            NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "gpu" },
            Resources = new ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } },
        },
    };
}
