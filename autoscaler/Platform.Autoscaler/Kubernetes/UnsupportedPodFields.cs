using k8s.Models;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// The parts of a pod spec that bear on where it may run but that the solver does not model. <see cref="PodConverter"/>
/// leaves them out; this names each one (field path and what is not checked), so <c>plan</c> prints a warning and the
/// service records a Warning event instead of dropping them silently. What would make a planned node useless to the pod
/// is refused instead (<see cref="Refusal"/>).
/// </summary>
internal static class UnsupportedPodFields
{
    /// <summary>
    /// Why the pod is not planned at all, or null. Dynamic resource allocation, as Karpenter refuses it by default
    /// (IgnoreDRARequests): a node bought without the claimed devices could never run the pod.
    /// </summary>
    public static string? Refusal(V1PodSpec? spec) =>
        spec?.ResourceClaims is { Count: > 0 }
            ? "spec.resourceClaims: dynamic resource allocation is not supported, so no node is planned for this pod"
            : null;

    public static IReadOnlyList<string> Of(V1PodSpec? spec)
    {
        var found = new List<string>();
        if (spec is null)
        {
            return found;
        }

        foreach (var (containers, path) in new[] { (spec.Containers, "spec.containers"), (spec.InitContainers, "spec.initContainers") })
        {
            for (var c = 0; c < (containers?.Count ?? 0); c++)
            {
                var ports = containers![c].Ports ?? [];
                for (var p = 0; p < ports.Count; p++)
                {
                    if (ports[p].HostPort is > 0)
                    {
                        found.Add($"{path}[{c}].ports[{p}].hostPort: host port conflicts between pods on a node are not checked");
                    }
                }
            }
        }

        var volumes = spec.Volumes ?? [];
        for (var v = 0; v < volumes.Count; v++)
        {
            if (volumes[v].PersistentVolumeClaim is not null)
            {
                found.Add($"spec.volumes[{v}].persistentVolumeClaim: the volume's zone and the node's volume attach limits are not considered");
            }
            else if (volumes[v].Ephemeral is not null)
            {
                found.Add($"spec.volumes[{v}].ephemeral: the volume's zone and the node's volume attach limits are not considered");
            }
        }

        var nodeAffinity = spec.Affinity?.NodeAffinity;
        var terms = nodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        for (var t = 0; t < terms.Count; t++)
        {
            if (terms[t].MatchFields is { Count: > 0 })
            {
                found.Add($"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{t}].matchFields: node fields are not matched; only matchExpressions are");
            }
        }

        var preferred = nodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
        for (var t = 0; t < preferred.Count; t++)
        {
            if (preferred[t].Preference?.MatchFields is { Count: > 0 })
            {
                found.Add($"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{t}].preference.matchFields: node fields are not matched; only matchExpressions are");
            }
        }

        var spreads = spec.TopologySpreadConstraints ?? [];
        for (var s = 0; s < spreads.Count; s++)
        {
            if (spreads[s].NodeAffinityPolicy == "Ignore")
            {
                found.Add($"spec.topologySpreadConstraints[{s}].nodeAffinityPolicy: Ignore is not supported; domains the pod's node affinity excludes are left out (Honor)");
            }

            if (spreads[s].NodeTaintsPolicy == "Honor")
            {
                found.Add($"spec.topologySpreadConstraints[{s}].nodeTaintsPolicy: Honor is not supported; nodes whose taints the pod does not tolerate still count (Ignore)");
            }
        }

        return found;
    }
}
