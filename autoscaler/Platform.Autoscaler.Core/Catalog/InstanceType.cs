using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// An instance type as a NodePool sees it: the node's labels, capacity, what the kubelet keeps back (overhead) and
/// so what pods can use (allocatable), and the offerings it may be bought through.
/// </summary>
public sealed record InstanceType
{
    /// <summary>The catalog facts it was resolved from.</summary>
    public required InstanceTypeInfo Info { get; init; }

    /// <summary>e.g. g5.xlarge.</summary>
    public string Name => Info.Name;

    /// <summary>The labels a node of this type carries (except zone and capacity type, which the offering decides).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The node's capacity.</summary>
    public required ResourceList Capacity { get; init; }

    /// <summary>kube-reserved + system-reserved + eviction thresholds.</summary>
    public required ResourceList Overhead { get; init; }

    /// <summary>Offerings, possibly marked unavailable.</summary>
    public required IReadOnlyList<Offering> Offerings { get; init; }

    /// <summary>Capacity minus overhead.</summary>
    public ResourceList Allocatable => Capacity.Subtract(Overhead);

    private (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<Offering> Offerings, Requirements Value)? requirements;

    /// <summary>
    /// The labels as requirements, plus zone and capacity type over the available offerings. Computed once per
    /// labels and offerings, so a copy made with <c>with</c> computes its own.
    /// </summary>
    public Requirements Requirements
    {
        get
        {
            if (requirements is not { } cached || !ReferenceEquals(cached.Labels, Labels) || !ReferenceEquals(cached.Offerings, Offerings))
            {
                cached = (Labels, Offerings, new(
                [
                    .. Scheduling.Requirements.FromLabels(Labels).All,
                    Requirement.In(Api.WellKnownLabels.Zone, Offerings.Where(o => o.Available).Select(o => o.Zone).Distinct()),
                    Requirement.In(Api.WellKnownLabels.CapacityType, Offerings.Where(o => o.Available).Select(o => o.CapacityType).Distinct()),
                ]));
                requirements = cached;
            }

            return cached.Value;
        }
    }
}
