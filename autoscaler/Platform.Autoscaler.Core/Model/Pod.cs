using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Model;

/// <summary>
/// What the solver needs to know of a pod: its requests and every constraint on where it may run.
/// Built from a Kubernetes pod at the edge; Core never sees the Kubernetes object.
/// </summary>
public sealed record Pod
{
    /// <summary>Namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Labels, matched by selectors of spreads and affinities.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Resource requests (the larger of init and app containers, plus overhead).</summary>
    public ResourceList Requests { get; init; } = ResourceList.Empty;

    /// <summary>
    /// Alternatives of node requirements (node affinity's required terms, each combined with the nodeSelector);
    /// the pod fits a node that satisfies any one. A single empty alternative means no constraint.
    /// </summary>
    public IReadOnlyList<Requirements> NodeRequirements { get; init; } = [Requirements.None];

    /// <summary>Preferred node affinity terms, tried heaviest first and dropped one by one when they cannot be met.</summary>
    public IReadOnlyList<PreferredNodeTerm> PreferredNodeTerms { get; init; } = [];

    /// <summary>Tolerations.</summary>
    public IReadOnlyList<Toleration> Tolerations { get; init; } = [];

    /// <summary>Topology spread constraints.</summary>
    public IReadOnlyList<TopologySpread> TopologySpread { get; init; } = [];

    /// <summary>Required pod affinity terms.</summary>
    public IReadOnlyList<PodAffinityTerm> Affinity { get; init; } = [];

    /// <summary>Required pod anti-affinity terms.</summary>
    public IReadOnlyList<PodAffinityTerm> AntiAffinity { get; init; } = [];

    /// <summary>Preferred pod affinity terms.</summary>
    public IReadOnlyList<PodAffinityTerm> PreferredAffinity { get; init; } = [];

    /// <summary>Preferred pod anti-affinity terms.</summary>
    public IReadOnlyList<PodAffinityTerm> PreferredAntiAffinity { get; init; } = [];

    /// <summary>
    /// Why the pod cannot be planned at all, when it asks for something the autoscaler does not support (dynamic
    /// resource allocation): it is reported unplaced with this reason instead of being planned without it.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>Carries karpenter.sh/do-not-disrupt.</summary>
    public bool DoNotDisrupt { get; init; }

    /// <summary>namespace/name.</summary>
    public string Id => $"{Namespace}/{Name}";
}
