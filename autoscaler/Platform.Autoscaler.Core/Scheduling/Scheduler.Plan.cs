using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Cheapest first; ties broken by name, zone and capacity type so plans are reproducible.</summary>
    private static readonly Comparer<LaunchOption> LaunchOrder = Comparer<LaunchOption>.Create((a, b) =>
        a.Price != b.Price ? a.Price.CompareTo(b.Price)
        : string.CompareOrdinal(a.InstanceType, b.InstanceType) != 0 ? string.CompareOrdinal(a.InstanceType, b.InstanceType)
        : string.CompareOrdinal(a.Zone, b.Zone) != 0 ? string.CompareOrdinal(a.Zone, b.Zone)
        : string.CompareOrdinal(a.CapacityType, b.CapacityType));

    private Plan BuildPlan()
    {
        var claims = new List<PlannedNodeClaim>();
        foreach (var bin in bins.Where(b => b.IsNew))
        {
            var pool = bin.Pool!;
            var zone = bin.Requirements.Get(WellKnownLabels.Zone);
            var capacityType = bin.Requirements.Get(WellKnownLabels.CapacityType);
            // Any option may be launched when a cheaper one has no capacity, so each must fit the limits alone.
            var allowed = bin.Options.Where(t => pool.WithinLimits(t, bin.Reservation)).ToArray();
            IEnumerable<LaunchOption> Offerings(int t) => pool.Types[t].Offerings
                .Where(o => o.Available && (zone?.Allows(o.Zone) ?? true) && (capacityType?.Allows(o.CapacityType) ?? true))
                .Select(o => new LaunchOption(pool.Types[t].Name, o.Zone, o.CapacityType, o.Price));
            var (cheapestType, _) = Cheapest(pool, [.. allowed], bin.Requirements);
            var cheapest = Offerings(cheapestType).OrderBy(o => o, LaunchOrder).First();
            claims.Add(new PlannedNodeClaim(bin.Name, pool.Name, bin.Requirements,
                () => [.. allowed.SelectMany(Offerings).Order(LaunchOrder)], cheapest, resources.ToList(bin.Used), [.. bin.Pods]));
        }

        return new Plan(claims, placements, unplaced);
    }
}
