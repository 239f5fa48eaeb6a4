using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Controllers;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// Instance types resolved with a node class's kubelet settings and root volume, only those some AMI of its status
/// serves, offered only in the zones of the subnets its status lists (all types and zones before its status is
/// written), computed once per catalog, node class spec, AMIs and zone set; offerings known to be out of capacity
/// are marked unavailable on a copy per pass.
/// </summary>
public sealed class ResolvedTypes
{
    private readonly Dictionary<(string Class, string Hash, string Zones), IReadOnlyList<InstanceType>> cache = [];
    private readonly Lock gate = new();
    private readonly Dictionary<(IReadOnlyList<InstanceType> Types, GpuSharing Sharing), SharedGpuOffer> shared = new(SharedKey.Instance);
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

            var zones = Zones(nodeClass);
            var key = (nodeClass?.Metadata.Name ?? "", nodeClass is null ? "" : SpecHash.Of(nodeClass.Spec) + (nodeClass.Status?.Amis is { } amiList ? SpecHash.Of(amiList) : ""),
                zones is null ? "" : string.Join(",", zones.Order(StringComparer.Ordinal)));
            if (!cache.TryGetValue(key, out types))
            {
                var amis = nodeClass?.Status?.Amis is { Count: > 0 } resolvedAmis ? resolvedAmis : null;
                types = [.. current.InstanceTypes
                    .Select(t => InstanceTypeResolver.Resolve(t, nodeClass?.Spec?.Kubelet, InstanceTypeResolver.RootVolumeGiB(nodeClass?.Spec)))
                    .Where(t => amis is null || amis.Any(ami => ami.Serves(t.Labels)))
                    .Select(t => zones is null ? t : t with { Offerings = [.. t.Offerings.Where(o => zones.Contains(o.Zone))] })];
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

    /// <summary>The zones of the class's resolved subnets; null (every zone) when none are known yet.</summary>
    private static HashSet<string>? Zones(EC2NodeClass? nodeClass) =>
        nodeClass?.Status?.Subnets?.Select(s => s.Zone).OfType<string>().ToHashSet(StringComparer.Ordinal) is { Count: > 0 } zones ? zones : null;

    /// <summary>
    /// The types under a pool's GPU sharing (<see cref="SharedGpuTypes"/>), the same list for the same types and sharing,
    /// so the solver's per-pool cache keeps working across passes.
    /// </summary>
    public SharedGpuOffer Shared(IReadOnlyList<InstanceType> types, GpuSharing sharing)
    {
        if (!sharing.ChangesResources)
        {
            return new SharedGpuOffer(types, []);
        }

        lock (gate)
        {
            if (!shared.TryGetValue((types, sharing), out var offer))
            {
                if (shared.Count >= 256)
                {
                    // Lists made for one pass (unavailable offerings marked) are not asked for again.
                    shared.Clear();
                }

                offer = SharedGpuTypes.Apply(types, sharing);
                shared[(types, sharing)] = offer;
            }

            return offer;
        }
    }

    private sealed class SharedKey : IEqualityComparer<(IReadOnlyList<InstanceType> Types, GpuSharing Sharing)>
    {
        public static SharedKey Instance { get; } = new();

        public bool Equals((IReadOnlyList<InstanceType> Types, GpuSharing Sharing) x, (IReadOnlyList<InstanceType> Types, GpuSharing Sharing) y) =>
            ReferenceEquals(x.Types, y.Types) && x.Sharing.Equals(y.Sharing);

        public int GetHashCode((IReadOnlyList<InstanceType> Types, GpuSharing Sharing) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Types), key.Sharing.Spec);
    }
}
