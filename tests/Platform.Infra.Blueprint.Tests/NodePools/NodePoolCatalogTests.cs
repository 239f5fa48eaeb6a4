using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.NodePools;

public sealed class NodePoolCatalogTests
{
    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Create_EachEnvironment_PassesTheAutoscalersValidator(string stack)
    {
        var set = NodePoolCatalog.Create(Stacks.Settings(stack));

        Assert.Empty(NodePoolValidator.Validate(stack, set));
    }

    [Fact]
    public void Create_Tiers_AreWeightedG5SpotThenG4dnSpotThenG5OnDemand()
    {
        var pools = NodePoolCatalog.Create(Stacks.Settings("prod")).NodePools.ToDictionary(p => p.Metadata.Name);

        Assert.Equal(100, pools[NodePoolNames.Tier1G5Spot].Spec!.Weight);
        Assert.Equal(50, pools[NodePoolNames.Tier2G4dnSpot].Spec!.Weight);
        Assert.Equal(10, pools[NodePoolNames.Tier3G5OnDemand].Spec!.Weight);
        Assert.Equal(["spot"], Requirement(pools[NodePoolNames.Tier1G5Spot], WellKnownLabels.CapacityType));
        Assert.Equal(["a10g"], Requirement(pools[NodePoolNames.Tier1G5Spot], WellKnownLabels.InstanceGpuName));
        Assert.Equal(["t4"], Requirement(pools[NodePoolNames.Tier2G4dnSpot], WellKnownLabels.InstanceGpuName));
        Assert.Equal(["on-demand"], Requirement(pools[NodePoolNames.Tier3G5OnDemand], WellKnownLabels.CapacityType));
    }

    [Fact]
    public void Create_Training_OnDemandInProdSpotInDev()
    {
        Assert.Equal(["on-demand"], Requirement(Pool("prod", NodePoolNames.Training), WellKnownLabels.CapacityType));
        Assert.Equal(["spot"], Requirement(Pool("dev", NodePoolNames.Training), WellKnownLabels.CapacityType));
    }

    [Fact]
    public void Create_Prod_GpuPoolsFreezeDisruptionDuringBusinessHours()
    {
        foreach (var pool in NodePoolCatalog.Create(Stacks.Settings("prod")).GpuNodePools)
        {
            Assert.Contains(pool.Spec!.Disruption!.Budgets!, b => b is { Nodes: "0", Schedule: "0 9 * * MON-FRI", Duration: "10h" });
        }

        Assert.DoesNotContain(NodePoolCatalog.Create(Stacks.Settings("dev")).NodePools.SelectMany(p => p.Spec!.Disruption!.Budgets!), b => b.Schedule is not null);
    }

    [Fact]
    public void Create_Limits_ComeFromSettings()
    {
        var settings = Stacks.Settings("dev");
        Assert.Equal(new ResourceQuantity(settings.NodePools.Limits.Tier1SpotGpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Pool("dev", NodePoolNames.Tier1G5Spot).Spec!.Limits![WellKnownResources.NvidiaGpu]);
        Assert.Equal(new ResourceQuantity("256Gi"), Pool("dev", NodePoolNames.Cpu).Spec!.Limits![WellKnownResources.Memory]);
    }

    [Fact]
    public void Create_NodeClasses_UseImdsV2EncryptedDisksAndTheNodeRole()
    {
        foreach (var nodeClass in NodePoolCatalog.Create(Stacks.Settings("prod")).NodeClasses)
        {
            Assert.Equal("required", nodeClass.Spec!.MetadataOptions!.HttpTokens);
            Assert.All(nodeClass.Spec.BlockDeviceMappings!, m => Assert.True(m.Ebs!.Encrypted));
            Assert.Equal("KarpenterNodeRole-gpu-prod", nodeClass.Spec.Role);
            Assert.Equal("gpu-prod", nodeClass.Spec.SubnetSelectorTerms![0].Tags!["karpenter.sh/discovery"]);
        }
    }

    [Fact]
    public void Validate_BrokenPool_ListsEveryErrorInTheValidatorsFormat()
    {
        var set = NodePoolCatalog.Create(Stacks.Settings("dev"));
        var broken = set.NodePools[0] with
        {
            Spec = set.NodePools[0].Spec! with
            {
                Weight = 1000,
                Template = set.NodePools[0].Spec!.Template! with
                {
                    Spec = set.NodePools[0].Spec!.Template!.Spec! with
                    {
                        NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "missing" },
                    },
                },
            },
        };

        var error = Assert.Throws<NodePoolValidationException>(() =>
            NodePoolValidator.EnsureValid("dev", set with { NodePools = set.NodePools.SetItem(0, broken) }));

        Assert.Contains(error.Errors, e => e.StartsWith("nodepools/dev.yaml: NodePool/gpu-tier1-g5-spot: spec.weight:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("nodepools/dev.yaml: NodePool/gpu-tier1-g5-spot: spec.template.spec.nodeClassRef.name: EC2NodeClass missing", StringComparison.Ordinal));
        Assert.StartsWith("the dev NodePools fail the autoscaler's validation (2 error(s))", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnsupportedKarpenterField_IsRejectedNotDropped()
    {
        var set = NodePoolCatalog.Create(Stacks.Settings("dev"));
        var pool = set.NodePools[0];
        var bad = pool with
        {
            Spec = pool.Spec! with
            {
                Disruption = pool.Spec.Disruption! with { ConsolidationPolicy = "Balanced" },
            },
        };

        var errors = NodePoolValidator.Validate("dev", set with { NodePools = set.NodePools.SetItem(0, bad) });

        Assert.Contains(errors, e => e.Contains("spec.disruption.consolidationPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void StackBlueprint_BadNodePools_ThrowsBeforeAnythingElse()
    {
        var settings = Stacks.Settings("dev");
        var bad = settings with { Budgets = settings.Budgets with { BusinessHours = new Blueprint.Settings.BusinessHours("0 9 * * MON-FRI", "10 hours") } };

        Assert.Throws<NodePoolValidationException>(() => StackBlueprint.Create(bad));
    }

    private static NodePool Pool(string stack, string name) =>
        NodePoolCatalog.Create(Stacks.Settings(stack)).NodePools.Single(p => p.Metadata.Name == name);

    private static IList<string>? Requirement(NodePool pool, string key) =>
        pool.Spec!.Template!.Spec!.Requirements!.Single(r => r.Key == key).Values;
}
