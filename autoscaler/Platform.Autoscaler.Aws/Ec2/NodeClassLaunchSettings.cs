namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>What a resolved EC2NodeClass gives a launch: its launch template and a subnet per zone.</summary>
/// <param name="LaunchTemplateName">Launch template (AMI, security groups, user data, IMDSv2, encrypted volumes).</param>
/// <param name="SubnetsByZone">The subnet to use in each zone the selectors matched.</param>
public sealed record NodeClassLaunchSettings(string LaunchTemplateName, IReadOnlyDictionary<string, string> SubnetsByZone);
