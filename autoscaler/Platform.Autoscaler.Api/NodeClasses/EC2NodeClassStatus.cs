using System.ComponentModel;

namespace Platform.Autoscaler.Api;

/// <summary>What an EC2NodeClass's selectors resolved to.</summary>
public sealed record EC2NodeClassStatus
{
    /// <summary>The subnets, with their zones.</summary>
    [Description("Subnets contains the current subnet values that are available to the cluster under the subnet selectors.")]
    public IList<ResolvedSubnet>? Subnets { get; init; }

    /// <summary>The security groups.</summary>
    [Description("SecurityGroups contains the current security group values that are available to the cluster under the SecurityGroups selectors.")]
    public IList<ResolvedSecurityGroup>? SecurityGroups { get; init; }

    /// <summary>The AMIs with the requirements (architecture, accelerators) each serves.</summary>
    [Description("AMI contains the current AMI values that are available to the cluster under the AMI selectors.")]
    public IList<ResolvedAmi>? Amis { get; init; }

    /// <summary>The instance profile made from the role.</summary>
    [Description("InstanceProfile contains the resolved instance profile for the role")]
    public string? InstanceProfile { get; init; }

    /// <summary>Ready, SubnetsReady, SecurityGroupsReady, AMIsReady, InstanceProfileReady ...; each with a reason and a message.</summary>
    [Items(Required = ["reason", "message"])]
    [Description("Conditions contains signals for health and readiness")]
    public IList<Condition>? Conditions { get; init; }
}
