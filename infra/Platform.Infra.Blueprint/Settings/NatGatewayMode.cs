namespace Platform.Infra.Blueprint.Settings;

/// <summary>How many NAT gateways the VPC gets.</summary>
public enum NatGatewayMode
{
    /// <summary>One NAT gateway for all private subnets: cheaper, one AZ's outage cuts egress.</summary>
    Single,

    /// <summary>One NAT gateway per availability zone: egress survives the loss of an AZ.</summary>
    PerAz,
}
