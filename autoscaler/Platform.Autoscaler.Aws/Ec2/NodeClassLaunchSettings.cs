namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>What a resolved EC2NodeClass gives a launch: its launch template, a subnet per zone, its tags and context.</summary>
/// <param name="LaunchTemplateName">Launch template (AMI, security groups, user data, IMDSv2, encrypted volumes).</param>
/// <param name="SubnetsByZone">The subnet to use in each zone the selectors matched.</param>
/// <param name="InstanceTypes">The instance types the template's AMI serves; null when it serves every type offered.</param>
/// <param name="Tags">The node class's spec.tags, put on the instance, its volumes and its fleet.</param>
/// <param name="Context">The node class's spec.context, CreateFleet's reserved Context parameter.</param>
public sealed record NodeClassLaunchSettings(
    string LaunchTemplateName, IReadOnlyDictionary<string, string> SubnetsByZone, IReadOnlySet<string>? InstanceTypes = null,
    IDictionary<string, string>? Tags = null, string? Context = null)
{
    /// <summary>Whether an offering can launch with these settings: a subnet in its zone and an AMI for its type.</summary>
    public bool Serves(string instanceType, string zone) =>
        SubnetsByZone.ContainsKey(zone) && (InstanceTypes is null || InstanceTypes.Contains(instanceType));
}
