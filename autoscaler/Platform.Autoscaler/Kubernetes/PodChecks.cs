using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// Whether the autoscaler can use a pod's resource amounts: every request (or limit standing in for one) and the
/// overhead convert to base units
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
        void Containers(string field, IList<V1Container>? containers)
        {
            for (var i = 0; i < (containers?.Count ?? 0); i++)
            {
                var resources = containers![i].Resources;
                sections.Add(($"spec.{field}[{i}].resources.requests", resources?.Requests));
                sections.Add(($"spec.{field}[{i}].resources.limits", resources?.Limits?.Where(l => resources.Requests?.ContainsKey(l.Key) != true)));
            }
        }

        Containers("containers", spec.Containers);
        Containers("initContainers", spec.InitContainers);
        foreach (var (path, amounts) in sections)
        {
            foreach (var (name, quantity) in amounts ?? [])
            {
                if (quantity is null)
                {
                    continue;
                }

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

    private static string Describe(string name) => name switch
    {
        WellKnownResources.Cpu => $"{MaxAmount / 1000} cores",
        WellKnownResources.Memory or WellKnownResources.EphemeralStorage => "1Pi",
        _ => MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
