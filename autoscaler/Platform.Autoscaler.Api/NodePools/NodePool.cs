using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

/// <summary>
/// <c>karpenter.sh/v1</c> NodePool: the shape of the nodes the autoscaler may buy for pods that match it,
/// their limits and how they may be disrupted.
/// </summary>
[KubernetesEntity(Group = Group, Kind = KindName, ApiVersion = Version, PluralName = Plural)]
[Description("NodePool is the Schema for the NodePools API")]
public sealed partial record NodePool : IKubernetesObject<V1ObjectMeta>, ISpec<NodePoolSpec?>, IStatus<NodePoolStatus?>, IValidatable
{
    /// <summary>API group.</summary>
    public const string Group = WellKnownLabels.KarpenterGroup;
    /// <summary>API version.</summary>
    public const string Version = "v1";
    /// <summary>Kind.</summary>
    public const string KindName = "NodePool";
    /// <summary>Plural resource name.</summary>
    public const string Plural = "nodepools";
    /// <summary>apiVersion as written in manifests.</summary>
    public const string GroupVersion = Group + "/" + Version;

    /// <inheritdoc />
    public string ApiVersion { get; set; } = GroupVersion;
    /// <inheritdoc />
    public string Kind { get; set; } = KindName;
    /// <inheritdoc />
    public V1ObjectMeta Metadata { get; set; } = new();
    /// <summary>The desired state.</summary>
    [Required]
    public NodePoolSpec? Spec { get; set; }
    /// <summary>The observed state.</summary>
    public NodePoolStatus? Status { get; set; }
}
