using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// Whether the autoscaler can use a pod: its placement constraints have the fields the solver needs, and every
/// request (or limit standing in for one) and the overhead convert to base units
/// and stays far below 64 bits, so no sum the solver forms (a pod's containers, a node's pods, daemon overhead) can
/// wrap around. The API server accepts `cpu: "10000000000000000"`; the autoscaler skips such a pod and says why.
/// </summary>
internal static class PodChecks
{
    /// <summary>The largest amount a pod may ask for, in base units: 2^50 (1 PiB of memory, 10^12 cores).</summary>
    public const long MaxAmount = 1L << 50;

    /// <summary>The first problem with the pod's amounts, as "field.path: reason", or null.</summary>
    public static string? Problem(V1PodSpec? spec)
    {
        if (spec is null)
        {
            return "spec: required";
        }

        // Limits count only where they stand in for a missing request (the API server's defaulting, and
        // Karpenter's reading of daemonset pods); a huge limit beside a request is harmless and common.
        var sections = new List<(string Path, IEnumerable<KeyValuePair<string, ResourceQuantity>>? Amounts)>();
        string? missing = null;
        void Containers(string field, IList<V1Container>? containers)
        {
            for (var i = 0; i < (containers?.Count ?? 0); i++)
            {
                if (containers![i] is null)
                {
                    missing ??= $"spec.{field}[{i}]: must be an object, got null";
                    continue;
                }

                var resources = containers[i].Resources;
                sections.Add(($"spec.{field}[{i}].resources.requests", resources?.Requests));
                sections.Add(($"spec.{field}[{i}].resources.limits", resources?.Limits?.Where(l => resources.Requests?.ContainsKey(l.Key) != true)));
            }
        }

        Containers("containers", spec.Containers);
        Containers("initContainers", spec.InitContainers);
        sections.Add(("spec.resources.requests", spec.Resources?.Requests));
        sections.Add(("spec.resources.limits", spec.Resources?.Limits?.Where(l => spec.Resources.Requests?.ContainsKey(l.Key) != true)));
        sections.Add(("spec.overhead", spec.Overhead));
        if (missing is not null)
        {
            return missing;
        }

        if (ConstraintProblem(spec) is { } constraint)
        {
            return constraint;
        }

        foreach (var (path, amounts) in sections)
        {
            foreach (var (name, quantity) in amounts ?? [])
            {
                if (!Quantities.TryToBaseUnits(name, quantity, out var value, out var problem))
                {
                    return $"{path}[{name}]: {problem}";
                }

                if (value > MaxAmount)
                {
                    return $"{path}[{name}]: {Quantities.Written(quantity)} is more than the autoscaler places on one node (at most {Describe(name)})";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The placement fields the API server requires and the solver relies on (a spread or affinity term's topologyKey,
    /// a node selector requirement's key and operator): `plan` reads manifests the API server never saw.
    /// </summary>
    private static string? ConstraintProblem(V1PodSpec spec)
    {
        string[] nodeOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
        for (var i = 0; i < (spec.TopologySpreadConstraints?.Count ?? 0); i++)
        {
            var constraint = spec.TopologySpreadConstraints![i];
            var path = $"spec.topologySpreadConstraints[{i}]";
            if (constraint is null || string.IsNullOrEmpty(constraint.TopologyKey))
            {
                return $"{path}.topologyKey: required";
            }

            if (constraint.MaxSkew < 1)
            {
                return $"{path}.maxSkew: must be at least 1, got {constraint.MaxSkew}";
            }

            if (constraint.WhenUnsatisfiable is not (null or "DoNotSchedule" or "ScheduleAnyway"))
            {
                return $"{path}.whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway, got \"{constraint.WhenUnsatisfiable}\"";
            }
        }

        var affinity = spec.Affinity;
        foreach (var (path, terms) in new (string, IEnumerable<V1PodAffinityTerm?>?)[]
        {
            ("spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution", affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution),
            ("spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution", affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution?.Select(t => t?.PodAffinityTerm)),
            ("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution", affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution),
            ("spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution", affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution?.Select(t => t?.PodAffinityTerm)),
        })
        {
            var index = 0;
            foreach (var term in terms ?? [])
            {
                if (string.IsNullOrEmpty(term?.TopologyKey))
                {
                    return $"{path}[{index}].topologyKey: required";
                }

                index++;
            }
        }

        var required = affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        var preferred = affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
        if (required.IndexOf(null!) is var nullTerm and >= 0)
        {
            return $"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{nullTerm}]: must be an object, got null";
        }

        if (preferred.ToList().FindIndex(p => p?.Preference is null) is var noPreference and >= 0)
        {
            return $"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{noPreference}].preference: required";
        }

        var nodeTerms = (affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [])
            .Select((t, i) => ($"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}]", t?.MatchExpressions))
            .Concat((affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
                .Select((t, i) => ($"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{i}].preference", t?.Preference?.MatchExpressions)));
        foreach (var (path, expressions) in nodeTerms)
        {
            for (var i = 0; i < (expressions?.Count ?? 0); i++)
            {
                var expression = expressions![i];
                if (string.IsNullOrEmpty(expression?.Key))
                {
                    return $"{path}.matchExpressions[{i}].key: required";
                }

                if (!nodeOperators.Contains(expression.OperatorProperty))
                {
                    return $"{path}.matchExpressions[{i}].operator: must be one of {string.Join(", ", nodeOperators)}, got \"{expression.OperatorProperty}\"";
                }
            }
        }

        for (var i = 0; i < (spec.Tolerations?.Count ?? 0); i++)
        {
            if (spec.Tolerations![i] is null)
            {
                return $"spec.tolerations[{i}]: must be an object, got null";
            }

            if (spec.Tolerations[i].OperatorProperty is not (null or "Exists" or "Equal"))
            {
                return $"spec.tolerations[{i}].operator: must be Exists or Equal, got \"{spec.Tolerations[i].OperatorProperty}\"";
            }
        }

        return null;
    }

    private static string Describe(string name) => name switch
    {
        WellKnownResources.Cpu => $"{MaxAmount / 1000} cores",
        WellKnownResources.Memory or WellKnownResources.EphemeralStorage => "1Pi",
        _ => MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
