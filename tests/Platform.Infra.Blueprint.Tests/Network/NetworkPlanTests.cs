using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Network;

public sealed class NetworkPlanTests
{
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];

    [Fact]
    public void Create_Prod_PublicAndPrivateSubnetPerAzAndNatPerAz()
    {
        var plan = NetworkPlan.Create(Stacks.Settings("prod"), Zones);

        Assert.Equal(["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"], plan.PrivateSubnets.Select(s => s.Cidr));
        Assert.Equal(["10.30.224.0/22", "10.30.228.0/22", "10.30.232.0/22"], plan.PublicSubnets.Select(s => s.Cidr));
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], plan.PrivateSubnets.Select(s => s.AvailabilityZone));
        Assert.Equal(3, plan.NatGateways.Length);
        Assert.Equal([0, 1, 2], plan.PrivateSubnets.Select(s => s.NatIndex!.Value));
    }

    [Fact]
    public void Create_Dev_OneNatForAllPrivateSubnets()
    {
        var plan = NetworkPlan.Create(Stacks.Settings("dev"), Zones);

        Assert.Single(plan.NatGateways);
        Assert.All(plan.PrivateSubnets, s => Assert.Equal(0, s.NatIndex));
        Assert.Equal(4, plan.Subnets.Length);
    }

    [Fact]
    public void Create_Subnets_CarryElbDiscoveryAndEfaTags()
    {
        var plan = NetworkPlan.Create(Stacks.Settings("prod"), Zones);

        Assert.All(plan.PublicSubnets, s => Assert.Equal("1", s.Tags["kubernetes.io/role/elb"]));
        Assert.All(plan.PrivateSubnets, s =>
        {
            Assert.Equal("1", s.Tags["kubernetes.io/role/internal-elb"]);
            Assert.Equal("gpu-prod", s.Tags[WellKnownTags.Discovery]);
            Assert.Equal("shared", s.Tags["kubernetes.io/cluster/gpu-prod"]);
        });
        Assert.All(plan.PublicSubnets, s => Assert.False(s.Tags.ContainsKey(WellKnownTags.Discovery)));
        var efa = Assert.Single(plan.Subnets, s => s.Tags.ContainsKey(NetworkPlan.EfaSubnetTag));
        Assert.False(efa.Public);
    }

    [Fact]
    public void Create_SubnetsNeverOverlap()
    {
        foreach (var stack in new[] { "dev", "prod" })
        {
            var cidrs = NetworkPlan.Create(Stacks.Settings(stack), Zones).Subnets
                .Select(s => Ipv4Cidr.TryParse(s.Cidr, out var c, out _) ? c : throw new InvalidOperationException(s.Cidr)).ToArray();
            for (var i = 0; i < cidrs.Length; i++)
            {
                for (var j = i + 1; j < cidrs.Length; j++)
                {
                    Assert.False(cidrs[i].IsWithin(cidrs[j]) || cidrs[j].IsWithin(cidrs[i]), $"{cidrs[i]} overlaps {cidrs[j]}");
                }
            }
        }
    }

    [Fact]
    public void Create_TooFewZonesInRegion_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkPlan.Create(Stacks.Settings("prod"), ["us-east-1a", "us-east-1b"]));

        Assert.Contains("gpu-platform:network.availabilityZones is 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/16", 19, 7, "10.0.224.0/19")]
    [InlineData("172.16.0.0/20", 26, 63, "172.16.15.192/26")]
    public void Subnet_Index_IsTheNthBlock(string vpc, int prefix, int index, string expected)
    {
        Assert.True(Ipv4Cidr.TryParse(vpc, out var cidr, out _));
        Assert.Equal(expected, cidr.Subnet(prefix, index).ToString());
    }
}
