using System.Collections.Immutable;

namespace Platform.Infra.Blueprint.Network;

/// <summary>One subnet: where, which block, public or private, its tags and the NAT gateway its egress uses.</summary>
/// <param name="NatIndex">For private subnets, the index of the NAT gateway in <see cref="NetworkPlan.NatGateways"/>.</param>
public sealed record SubnetPlan(
    string Name,
    string AvailabilityZone,
    string Cidr,
    bool Public,
    ImmutableSortedDictionary<string, string> Tags,
    int? NatIndex);
