using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>The desired settings of an EC2NodeClass.</summary>
[CelRule("(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))", "must specify exactly one of ['role', 'instanceProfile']")]
[CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.AmiFamily))]
[CelRule("self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)", "must specify amiFamily if amiSelectorTerms does not contain an alias")]
[CelRule("!has(self.capacityReservationSelectorTerms)", EC2NodeClassSpec.CapacityReservationsUnsupported)]
[CelRule("!has(self.ipPrefixCount)", EC2NodeClassSpec.IpPrefixCountUnsupported)]
public sealed record EC2NodeClassSpec
{
    /// <summary>Why spec.capacityReservationSelectorTerms is refused.</summary>
    public const string CapacityReservationsUnsupported =
        "capacityReservationSelectorTerms is not supported by this autoscaler: it launches on-demand and spot capacity only; remove the field";

    /// <summary>Why spec.ipPrefixCount is refused.</summary>
    public const string IpPrefixCountUnsupported =
        "ipPrefixCount is not supported by this autoscaler: its launch templates assign no IPv4 prefixes and its pod counts assume none; remove the field";

    /// <summary>Selects the subnets instances launch into.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [CelRule("self.all(x, has(x.tags) || has(x.id))", "expected at least one, got none, ['tags', 'id']")]
    [CelRule("!self.exists(x, has(x.id) && has(x.tags))", "'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet selector term")]
    [Description("SubnetSelectorTerms is a list of subnet selector terms. The terms are ORed.")]
    public IList<SubnetSelectorTerm>? SubnetSelectorTerms { get; init; }

    /// <summary>Selects the security groups instances get.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [CelRule("self.all(x, has(x.tags) || has(x.id) || has(x.name))", "expected at least one, got none, ['tags', 'id', 'name']")]
    [CelRule("!self.exists(x, has(x.id) && (has(x.tags) || has(x.name)))", "'id' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term")]
    [CelRule("!self.exists(x, has(x.name) && (has(x.tags) || has(x.id)))", "'name' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term")]
    [Description("SecurityGroupSelectorTerms is a list of security group selector terms. The terms are ORed.")]
    public IList<SecurityGroupSelectorTerm>? SecurityGroupSelectorTerms { get; init; }

    /// <summary>Selects the AMIs: an alias such as al2023@latest, or ids, names, owners, tags.</summary>
    [Required, MinLength(1), MaxLength(30)]
    [CelRule("self.all(x, has(x.tags) || has(x.id) || has(x.name) || has(x.alias) || has(x.ssmParameter))", "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']")]
    [CelRule("!self.exists(x, has(x.id) && (has(x.alias) || has(x.tags) || has(x.name) || has(x.owner)))", "'id' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms")]
    [CelRule("!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags) || has(x.name) || has(x.owner)))", "'alias' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms")]
    [CelRule("!(self.exists(x, has(x.alias)) && self.size() != 1)", "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms")]
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
    [CelRule("self != ''", "role cannot be empty")]
    [Description("Role is the AWS identity that nodes use. This field is mutually exclusive from instanceProfile.")]
    public string? Role { get; init; }

    /// <summary>An existing instance profile; exclusive with role.</summary>
    [CelRule("self != ''", "instanceProfile cannot be empty")]
    [Description("InstanceProfile is the AWS entity that instances use. This field is mutually exclusive from role.")]
    public string? InstanceProfile { get; init; }

    /// <summary>Tags put on instances, volumes and launch templates.</summary>
    [CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.Tags))]
    [Description("Tags to be applied on ec2 resources like instances and launch templates.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>Kubelet settings.</summary>
    [Description("Kubelet defines args to be used when configuring kubelet on provisioned nodes.")]
    public KubeletConfiguration? Kubelet { get; init; }

    /// <summary>Volumes attached at launch.</summary>
    [MaxLength(50)]
    [CelRule("self.filter(x, has(x.rootVolume) ? x.rootVolume == true : false).size() <= 1", "must have only one blockDeviceMappings with rootVolume")]
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
    [DefaultJson("""{"httpEndpoint":"enabled","httpProtocolIPv6":"disabled","httpPutResponseHopLimit":1,"httpTokens":"required"}""")]
    [Description("MetadataOptions for the generated launch template of provisioned nodes.")]
    public MetadataOptions? MetadataOptions { get; init; }

    /// <summary>Reserved for Fleet's context parameter.</summary>
    [Description("Context is a Reserved field in EC2 APIs")]
    public string? Context { get; init; }

    /// <summary>Karpenter's capacity reservation selectors; refused here (see <see cref="CapacityReservationsUnsupported"/>).</summary>
    [MaxLength(30)]
    [CelRule("self.all(x, has(x.tags) || has(x.id) || has(x.instanceMatchCriteria))", "expected at least one, got none, ['tags', 'id', 'instanceMatchCriteria']")]
    [CelRule("!self.exists(x, has(x.id) && (has(x.tags) || has(x.ownerID) || has(x.instanceMatchCriteria)))", "'id' is mutually exclusive, cannot be set along with other fields in a capacity reservation selector term")]
    [Description("CapacityReservationSelectorTerms is a list of capacity reservation selector terms. Not supported by this autoscaler: an EC2NodeClass that sets it is refused.")]
    public IList<CapacityReservationSelectorTerm>? CapacityReservationSelectorTerms { get; init; }

    /// <summary>Karpenter's IPv4 prefixes per network interface; refused here (see <see cref="IpPrefixCountUnsupported"/>).</summary>
    [Range(0, int.MaxValue)]
    [Description("IPPrefixCount is the number of IPv4 prefixes assigned to the primary network interface. Not supported by this autoscaler: an EC2NodeClass that sets it is refused.")]
    public int? IpPrefixCount { get; init; }
}
