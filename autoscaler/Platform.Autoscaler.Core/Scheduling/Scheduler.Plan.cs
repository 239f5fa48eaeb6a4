using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    private Plan BuildPlan()
    {
        var claims = new List<PlannedNodeClaim>();
        foreach (var bin in bins.Where(b => b.IsNew))
        {
            var pool = bin.Pool!;
            var zone = bin.Requirements.Get(WellKnownLabels.Zone);
            var capacityType = bin.Requirements.Get(WellKnownLabels.CapacityType);
            var options = new List<LaunchOption>();
            foreach (var t in bin.Options)
            {
                // Any option may be launched when a cheaper one has no capacity, so each must fit the limits alone.
                if (!pool.WithinLimits(t, bin.Reservation))
                {
                    continue;
                }

                var type = pool.Types[t];
                foreach (var offering in type.Offerings)
                {
                    if (offering.Available && (zone?.Allows(offering.Zone) ?? true) && (capacityType?.Allows(offering.CapacityType) ?? true))
                    {
                        options.Add(new LaunchOption(type.Name, offering.Zone, offering.CapacityType, offering.Price));
                    }
                }
            }

            options.Sort((a, b) => a.Price != b.Price ? a.Price.CompareTo(b.Price)
                : string.CompareOrdinal(a.InstanceType, b.InstanceType) != 0 ? string.CompareOrdinal(a.InstanceType, b.InstanceType)
                : string.CompareOrdinal(a.Zone, b.Zone) != 0 ? string.CompareOrdinal(a.Zone, b.Zone)
                : string.CompareOrdinal(a.CapacityType, b.CapacityType));
            claims.Add(new PlannedNodeClaim(bin.Name, pool.Name, bin.Requirements, options, resources.ToList(bin.Used), [.. bin.Pods]));
        }

        return new Plan(claims, placements, unplaced);
    }
}
