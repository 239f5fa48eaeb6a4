using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

/// <summary><c>karpenter.sh/v1</c> NodeClaim: one node the autoscaler has decided to buy, and its lifecycle.</summary>
[KubernetesEntity(Group = Group, Kind = KindName, ApiVersion = Version, PluralName = Plural)]
[Description("NodeClaim is the Schema for the NodeClaims API")]
public sealed partial record NodeClaim : IKubernetesObject<V1ObjectMeta>, ISpec<NodeClaimSpec?>, IStatus<NodeClaimStatus?>, IValidatable
{
    /// <summary>API group.</summary>
    public const string Group = WellKnownLabels.KarpenterGroup;
    /// <summary>API version.</summary>
    public const string Version = "v1";
    /// <summary>Kind.</summary>
    public const string KindName = "NodeClaim";
    /// <summary>Plural resource name.</summary>
    public const string Plural = "nodeclaims";
    /// <summary>apiVersion as written in manifests.</summary>
    public const string GroupVersion = Group + "/" + Version;

    /// <inheritdoc />
    public string ApiVersion { get; set; } = GroupVersion;
    /// <inheritdoc />
    public string Kind { get; set; } = KindName;
    /// <inheritdoc />
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>The desired node.</summary>
    [Required]
    public NodeClaimSpec? Spec { get; set; }
    /// <summary>The launched node.</summary>
    public NodeClaimStatus? Status { get; set; }
}
