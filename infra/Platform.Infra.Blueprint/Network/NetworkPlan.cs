using System.Collections.Immutable;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Network;

/// <summary>
/// The VPC's layout: a large private subnet per AZ for nodes and pods (the VPC CNI gives pods VPC addresses), a small
/// public subnet per AZ for load balancers and NAT, and the tags that load balancers and the autoscaler discover.
/// </summary>
public sealed record NetworkPlan(
    string VpcCidr,
    ImmutableSortedDictionary<string, string> VpcTags,
    ImmutableArray<SubnetPlan> Subnets,
    ImmutableArray<string> NatGateways)
{
    internal const int MinVpcPrefix = 16;
    internal const int MaxVpcPrefix = 20;

    /// <summary>The tag the training EC2NodeClass selects its subnet by: EFA traffic stays inside one AZ.</summary>
    public const string EfaSubnetTag = "gpu-platform/efa";

    internal static readonly ImmutableArray<Ipv4Cidr> PrivateRanges =
    [
        new(10u << 24, 8), new((172u << 24) | (16u << 16), 12), new((192u << 24) | (168u << 16), 16), new((100u << 24) | (64u << 16), 10),
    ];

    /// <summary>Public subnets, in AZ order.</summary>
    public IEnumerable<SubnetPlan> PublicSubnets => Subnets.Where(s => s.Public);

    /// <summary>Private subnets, in AZ order.</summary>
    public IEnumerable<SubnetPlan> PrivateSubnets => Subnets.Where(s => !s.Public);

    /// <summary>Lays out the VPC over the first <c>AvailabilityZoneCount</c> of the region's zones.</summary>
    /// <exception cref="ArgumentException">The region has fewer zones than the settings ask for.</exception>
    public static NetworkPlan Create(StackSettings settings, IReadOnlyList<string> availabilityZones)
    {
        var count = settings.Network.AvailabilityZoneCount;
        if (availabilityZones.Count < count)
        {
            throw new ArgumentException(
                $"{SettingsReader.Project}:network.availabilityZones is {count} but {settings.Region} offers {availabilityZones.Count} ({string.Join(", ", availabilityZones)})",
                nameof(availabilityZones));
        }

        if (!Ipv4Cidr.TryParse(settings.Network.VpcCidr, out var vpc, out var error))
        {
            throw new ArgumentException(error, nameof(settings));
        }

        var zones = availabilityZones.Take(count).ToArray();
        var cluster = settings.ClusterName;
        var common = Tagging.Common(settings);
        var clusterTag = $"kubernetes.io/cluster/{cluster}";

        // Eight private slots of prefix+3 (a /16 gives /19s of 8,190 addresses); the last slot is cut into /prefix+6
        // public subnets. Six AZs at most, so the slots never collide.
        var subnets = ImmutableArray.CreateBuilder<SubnetPlan>();
        var natCount = settings.Network.NatGateways == NatGatewayMode.PerAz ? count : 1;
        for (var i = 0; i < count; i++)
        {
            subnets.Add(new SubnetPlan(
                $"{cluster}-public-{zones[i]}", zones[i], vpc.Subnet(vpc.Prefix + 6, 56 + i).ToString(), Public: true,
                common.SetItems([
                    KeyValuePair.Create("Name", $"{cluster}-public-{zones[i]}"),
                    KeyValuePair.Create("kubernetes.io/role/elb", "1"),
                    KeyValuePair.Create(clusterTag, "shared"),
                    KeyValuePair.Create("network-type", "public"),
                ]),
                NatIndex: null));
        }

        for (var i = 0; i < count; i++)
        {
            var tags = common.SetItems([
                KeyValuePair.Create("Name", $"{cluster}-private-{zones[i]}"),
                KeyValuePair.Create("kubernetes.io/role/internal-elb", "1"),
                KeyValuePair.Create(clusterTag, "shared"),
                KeyValuePair.Create(WellKnownTags.Discovery, cluster),
                KeyValuePair.Create("network-type", "private"),
            ]);
            if (i == 0)
            {
                tags = tags.SetItem(EfaSubnetTag, "true");
            }

            subnets.Add(new SubnetPlan($"{cluster}-private-{zones[i]}", zones[i], vpc.Subnet(vpc.Prefix + 3, i).ToString(),
                Public: false, tags, NatIndex: natCount == 1 ? 0 : i));
        }

        var nats = Enumerable.Range(0, natCount).Select(i => $"{cluster}-public-{zones[i]}").ToImmutableArray();
        return new NetworkPlan(vpc.ToString(), common.SetItem("Name", cluster), subnets.ToImmutable(), nats);
    }
}
