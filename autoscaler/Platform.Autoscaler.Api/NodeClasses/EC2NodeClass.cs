using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

/// <summary><c>karpenter.k8s.aws/v1</c> EC2NodeClass: the AWS settings of the nodes a NodePool launches.</summary>
[KubernetesEntity(Group = Group, Kind = KindName, ApiVersion = Version, PluralName = Plural)]
[Description("EC2NodeClass is the Schema for the EC2NodeClass API")]
public sealed partial record EC2NodeClass : IKubernetesObject<V1ObjectMeta>, ISpec<EC2NodeClassSpec?>, IStatus<EC2NodeClassStatus?>, IValidatable
{
    /// <summary>API group.</summary>
    public const string Group = WellKnownLabels.AwsGroup;
    /// <summary>API version.</summary>
    public const string Version = "v1";
    /// <summary>Kind.</summary>
    public const string KindName = "EC2NodeClass";
    /// <summary>Plural resource name.</summary>
    public const string Plural = "ec2nodeclasses";
    /// <summary>apiVersion as written in manifests.</summary>
    public const string GroupVersion = Group + "/" + Version;

    /// <inheritdoc />
    public string ApiVersion { get; set; } = GroupVersion;
    /// <inheritdoc />
    public string Kind { get; set; } = KindName;
    /// <inheritdoc />
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>The desired settings.</summary>
    [Required]
    public EC2NodeClassSpec? Spec { get; set; }
    /// <summary>The resolved subnets, security groups and AMIs.</summary>
    public EC2NodeClassStatus? Status { get; set; }
}
