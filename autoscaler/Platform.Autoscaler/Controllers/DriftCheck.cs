using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Whether a node no longer matches what its NodePool and EC2NodeClass would make today: the template hash or the
/// node class hash recorded on its NodeClaim changed, or its labels no longer satisfy the pool's requirements.
/// </summary>
public static class DriftCheck
{
    /// <summary>Why the node drifted, or null.</summary>
    public static string? Of(NodeClaim claim, IDictionary<string, string> nodeLabels, NodePool? pool, IReadOnlyDictionary<string, EC2NodeClass> classes)
    {
        if (pool is null)
        {
            return null;
        }

        var annotations = claim.Metadata.Annotations ?? new Dictionary<string, string>();
        if (annotations.TryGetValue(WellKnownAnnotations.NodePoolHash, out var poolHash) && poolHash != SpecHash.Of(pool))
        {
            return $"NodePool/{pool.Metadata.Name} template changed";
        }

        var className = pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? "";
        if (annotations.TryGetValue(WellKnownAnnotations.Ec2NodeClassHash, out var classHash) && classes.TryGetValue(className, out var nodeClass)
            && classHash != SpecHash.Of(nodeClass.Spec))
        {
            return $"EC2NodeClass/{className} changed";
        }

        foreach (var r in pool.Spec?.Template?.Spec?.Requirements ?? [])
        {
            var requirement = Requirement.From(r.Key!, r.Operator!, r.Values);
            var value = nodeLabels.TryGetValue(r.Key!, out var label) ? label : null;
            if (!requirement.Admits(value))
            {
                return $"label {r.Key}={value ?? "(absent)"} no longer satisfies {requirement}";
            }
        }

        return null;
    }
}
