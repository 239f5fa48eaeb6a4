using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Controllers;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// Instance types resolved with a node class's kubelet settings and root volume, computed once per catalog and
/// node class spec; offerings known to be out of capacity are marked unavailable on a copy per pass.
/// </summary>
public sealed class ResolvedTypes
{
    private readonly Dictionary<(string Class, string Hash), IReadOnlyList<InstanceType>> cache = [];
    private readonly Lock gate = new();
    private InstanceCatalog? catalog;

    /// <summary>The types of a node class (null: defaults), without the unavailable offerings.</summary>
    public IReadOnlyList<InstanceType> For(
        InstanceCatalog current, EC2NodeClass? nodeClass, IReadOnlySet<(string InstanceType, string Zone, string CapacityType)> unavailable)
    {
        IReadOnlyList<InstanceType>? types;
        lock (gate)
        {
            if (!ReferenceEquals(catalog, current))
            {
                cache.Clear();
                catalog = current;
            }

            var key = (nodeClass?.Metadata.Name ?? "", nodeClass is null ? "" : SpecHash.Of(nodeClass.Spec));
            if (!cache.TryGetValue(key, out types))
            {
                types = [.. current.InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t, nodeClass?.Spec?.Kubelet, PlanInputBuilder.RootVolumeGiB(nodeClass)))];
                cache[key] = types;
            }
        }

        if (unavailable.Count == 0)
        {
            return types;
        }

        var affected = unavailable.Select(u => u.InstanceType).ToHashSet(StringComparer.Ordinal);
        return [.. types.Select(t => !affected.Contains(t.Name) ? t : t with
        {
            Offerings = [.. t.Offerings.Select(o => unavailable.Contains((t.Name, o.Zone, o.CapacityType)) ? o with { Available = false } : o)],
        })];
    }
}
