using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Launch;

/// <summary>
/// A stored NodeClaim's launch options, rebuilt from what it records: its requirements (instance types, zones,
/// capacity types) and its requests. A launch retried after a restart so tries the same offerings the plan chose,
/// without the plan.
/// </summary>
public static class ClaimOptions
{
    /// <summary>
    /// Every available offering of a type that satisfies the requirements and holds the requests, cheapest first.
    /// Requirement keys an instance type does not label (the pool's own labels) are the node's to carry, not the
    /// type's to satisfy, and are skipped.
    /// </summary>
    public static IReadOnlyList<LaunchOption> From(Requirements requirements, ResourceList requests, IEnumerable<InstanceType> types)
    {
        var zone = requirements.Get(WellKnownLabels.Zone);
        var capacity = requirements.Get(WellKnownLabels.CapacityType);
        var options = new List<LaunchOption>();
        foreach (var type in types)
        {
            if (!requests.FitsIn(type.Allocatable) || !Satisfies(requirements, type.Labels))
            {
                continue;
            }

            options.AddRange(type.Offerings
                .Where(o => o.Available && (zone?.Allows(o.Zone) ?? true) && (capacity?.Allows(o.CapacityType) ?? true))
                .Select(o => new LaunchOption(type.Name, o.Zone, o.CapacityType, o.Price)));
        }

        return [.. options
            .OrderBy(o => o.Price)
            .ThenBy(o => o.InstanceType, StringComparer.Ordinal)
            .ThenBy(o => o.Zone, StringComparer.Ordinal)
            .ThenBy(o => o.CapacityType, StringComparer.Ordinal)];
    }

    private static bool Satisfies(Requirements requirements, IReadOnlyDictionary<string, string> labels) =>
        requirements.All.All(r => r.Key is WellKnownLabels.Zone or WellKnownLabels.CapacityType
            || !labels.TryGetValue(r.Key, out var value)
            || r.Allows(value));
}
