using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>The desired settings of an EC2NodeClass.</summary>
public sealed record EC2NodeClassSpec
{
    /// <summary>Selects the subnets instances launch into.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [Description("SubnetSelectorTerms is a list of subnet selector terms. The terms are ORed.")]
    public IList<SubnetSelectorTerm>? SubnetSelectorTerms { get; init; }

    /// <summary>Selects the security groups instances get.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [Description("SecurityGroupSelectorTerms is a list of security group selector terms. The terms are ORed.")]
    public IList<SecurityGroupSelectorTerm>? SecurityGroupSelectorTerms { get; init; }

    /// <summary>Selects the AMIs: an alias such as al2023@latest, or ids, names, owners, tags.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [Description("AMISelectorTerms is a list of or ami selector terms. The terms are ORed.")]
    public IList<AmiSelectorTerm>? AmiSelectorTerms { get; init; }

    /// <summary>The AMI family when no alias is given: AL2, AL2023, Bottlerocket, Windows2019, Windows2022, Windows2025, Custom.</summary>
    [AllowedValues("AL2", "AL2023", "Bottlerocket", "Custom", "Windows2019", "Windows2022", "Windows2025")]
    [Description("AMIFamily dictates the UserData format and default BlockDeviceMappings used when generating launch templates.")]
    public string? AmiFamily { get; init; }

    /// <summary>User data merged into the generated bootstrap (nodeadm for AL2023).</summary>
    [Description("UserData to be applied to the provisioned nodes.")]
    public string? UserData { get; init; }

    /// <summary>The IAM role the instance profile is made from; exclusive with instanceProfile.</summary>
    [Description("Role is the AWS identity that nodes use. This field is mutually exclusive from instanceProfile.")]
    public string? Role { get; init; }

    /// <summary>An existing instance profile; exclusive with role.</summary>
    [Description("InstanceProfile is the AWS entity that instances use. This field is mutually exclusive from role.")]
    public string? InstanceProfile { get; init; }

    /// <summary>Tags put on instances, volumes and launch templates.</summary>
    [Description("Tags to be applied on ec2 resources like instances and launch templates.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>Kubelet settings.</summary>
    [Description("Kubelet defines args to be used when configuring kubelet on provisioned nodes.")]
    public KubeletConfiguration? Kubelet { get; init; }

    /// <summary>Volumes attached at launch.</summary>
    [MaxLength(50)]
    [Description("BlockDeviceMappings to be applied to provisioned nodes.")]
    public IList<BlockDeviceMapping>? BlockDeviceMappings { get; init; }

    /// <summary>RAID0 to use local NVMe instance store for ephemeral storage.</summary>
    [AllowedValues("RAID0")]
    [Description("InstanceStorePolicy specifies how to handle instance-store disks.")]
    public string? InstanceStorePolicy { get; init; }

    /// <summary>Whether instances get public IP addresses.</summary>
    [Description("AssociatePublicIPAddress controls if public IP addresses are assigned to instances that are launched with the nodeclass.")]
    public bool? AssociatePublicIPAddress { get; init; }

    /// <summary>Whether detailed CloudWatch monitoring is on.</summary>
    [Description("DetailedMonitoring controls if detailed monitoring is enabled for instances that are launched")]
    public bool? DetailedMonitoring { get; init; }

    /// <summary>Instance metadata service settings; IMDSv2 is required by default.</summary>
    [Description("MetadataOptions for the generated launch template of provisioned nodes.")]
    public MetadataOptions? MetadataOptions { get; init; }

    /// <summary>Reserved for Fleet's context parameter.</summary>
    [Description("Context is a Reserved field in EC2 APIs")]
    public string? Context { get; init; }
}
