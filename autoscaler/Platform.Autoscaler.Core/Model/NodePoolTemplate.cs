using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Model;

/// <summary>
/// A NodePool as the solver uses it: what its nodes must satisfy and carry, what it may still buy (limits less
/// usage), the daemonset overhead every node of it pays, and the instance types its node class resolves to.
/// </summary>
public sealed record NodePoolTemplate
{
    /// <summary>The NodePool's name.</summary>
    public required string Name { get; init; }

    /// <summary>Higher weights are tried first.</summary>
    public int Weight { get; init; }

    /// <summary>Template requirements and labels as requirements.</summary>
    public required Requirements Requirements { get; init; }

    /// <summary>Template labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Taints pods must tolerate.</summary>
    public IReadOnlyList<Taint> Taints { get; init; } = [];

    /// <summary>Limits; null when unlimited.</summary>
    public ResourceList? Limits { get; init; }

    /// <summary>Capacity of the pool's nodes and in-flight NodeClaims, counted against the limits.</summary>
    public ResourceList Usage { get; init; } = ResourceList.Empty;

    /// <summary>Node count already in the pool (for a nodes limit).</summary>
    public int NodeCount { get; init; }

    /// <summary>Requests of the daemonsets that will run on every node of the pool.</summary>
    public ResourceList DaemonOverhead { get; init; } = ResourceList.Empty;

    /// <summary>The instance types the pool's node class offers, resolved.</summary>
    public required IReadOnlyList<InstanceType> InstanceTypes { get; init; }

    /// <summary>
    /// Whether <paramref name="type"/> conflicts with the pool's requirements. A key the type leaves open is fine for the
    /// pool label and labels Karpenter does not define (the node gets them from the template); a well-known one it does not
    /// set stays absent.
    /// </summary>
    public bool ConflictsWith(InstanceType type) =>
        Requirements.Conflict(Requirements, type.Requirements, key => key == WellKnownLabels.NodePool || !LabelRules.WellKnown.Contains(key)) is not null;

    /// <summary>
    /// The requirements a node of <paramref name="type"/> from this pool has, or null when the pool admits no such node
    /// (a conflict, or a requirement the two leave without a value).
    /// </summary>
    public Requirements? Offered(InstanceType type)
    {
        if (ConflictsWith(type))
        {
            return null;
        }

        var offered = Requirements.Intersect(type.Requirements);
        return offered.FirstEmpty() is null ? offered : null;
    }

    /// <summary>Builds a template from a NodePool's spec.</summary>
    public static NodePoolTemplate From(NodePool pool, IReadOnlyList<InstanceType> instanceTypes, ResourceList? usage = null, int nodeCount = 0, ResourceList? daemonOverhead = null)
    {
        var spec = pool.Spec ?? throw new ArgumentException($"NodePool/{pool.Metadata.Name} has no spec", nameof(pool));
        var template = spec.Template?.Spec ?? throw new ArgumentException($"NodePool/{pool.Metadata.Name} has no template spec", nameof(pool));
        var labels = spec.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        var requirements = new Requirements(
        [
            .. (template.Requirements ?? []).Select(r => Requirement.From(r.Key!, r.Operator!, r.Values, r.MinValues)),
            .. labels.Select(kv => Requirement.In(kv.Key, kv.Value)),
            Requirement.In(WellKnownLabels.NodePool, pool.Metadata.Name),
        ]);
        return new NodePoolTemplate
        {
            Name = pool.Metadata.Name,
            Weight = spec.Weight ?? 0,
            Requirements = requirements,
            Labels = labels.ToDictionary(StringComparer.Ordinal),
            Taints = [.. template.Taints ?? []],
            Limits = spec.Limits is null ? null : ResourceList.FromQuantities(spec.Limits),
            Usage = usage ?? ResourceList.Empty,
            NodeCount = nodeCount,
            DaemonOverhead = daemonOverhead ?? ResourceList.Empty,
            InstanceTypes = instanceTypes,
        };
    }
}
