namespace Platform.Infra.Blueprint.Settings;

/// <summary>The VPC: how many availability zones, its IPv4 range and its NAT layout.</summary>
public sealed record NetworkSettings(int AvailabilityZoneCount, string VpcCidr, NatGatewayMode NatGateways);
