namespace Platform.Autoscaler.Core.Catalog;

/// <summary>The instance types of one region with their offerings, and where the facts came from.</summary>
/// <param name="Region">e.g. us-east-1.</param>
/// <param name="Source">How the catalog was made (tool, API, price table and its date, spot price source).</param>
/// <param name="InstanceTypes">The types, by name.</param>
public sealed record InstanceCatalog(string Region, string Source, IReadOnlyList<InstanceTypeInfo> InstanceTypes)
{
    /// <summary>The same catalog with the given offerings marked unavailable (instance type, zone, capacity type).</summary>
    public InstanceCatalog WithUnavailable(IReadOnlySet<(string InstanceType, string Zone, string CapacityType)> unavailable) =>
        unavailable.Count == 0
            ? this
            : this with
            {
                InstanceTypes = [.. InstanceTypes.Select(t => t with
                {
                    Offerings = [.. t.Offerings.Select(o => unavailable.Contains((t.Name, o.Zone, o.CapacityType)) ? o with { Available = false } : o)],
                })],
            };
}
