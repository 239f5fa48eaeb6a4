using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// Instance types as a pool's GPU sharing makes them: a GPU type its layout and device plugin config change offers what
/// its node will advertise (MIG devices, GPU slices or replicas) in place of its whole GPUs; a GPU type that cannot take
/// the sharing (MIG on a T4, a profile the GPU lacks or that does not fit it) is not offered, with the reason. Types
/// without NVIDIA GPUs are offered unchanged.
/// </summary>
public static class SharedGpuTypes
{
    /// <summary>The types the pool may offer, and the GPU types it may not with why.</summary>
    public static SharedGpuOffer Apply(IReadOnlyList<InstanceType> types, GpuSharing sharing)
    {
        if (!sharing.ChangesResources)
        {
            return new SharedGpuOffer(types, []);
        }

        var offered = new List<InstanceType>(types.Count);
        var refused = new List<(InstanceType, string)>();
        foreach (var type in types)
        {
            if (type.Info.Gpu is not { Manufacturer: "nvidia", Count: > 0 } gpu)
            {
                offered.Add(type);
                continue;
            }

            var model = GpuModels.Find(gpu.Name, gpu.MemoryMiB);
            if (sharing.Problem(model, gpu.Count, gpu.Name) is { } problem)
            {
                refused.Add((type, problem));
                continue;
            }

            offered.Add(type with { Capacity = WithGpus(type.Capacity, sharing.Advertised(model, gpu.Count)) });
        }

        return new SharedGpuOffer(offered, refused);
    }

    /// <summary>A resource list with its GPU resources replaced by <paramref name="advertised"/>.</summary>
    public static ResourceList WithGpus(ResourceList resources, IReadOnlyDictionary<string, long> advertised) =>
        ResourceList.Of([
            .. resources.Entries.Where(e => !GpuSharing.IsGpuResource(e.Key)).Select(e => (e.Key, e.Value)),
            .. advertised.Select(a => (a.Key, a.Value)),
        ]);

    /// <summary>What a node of <paramref name="type"/> advertises under the sharing (its GPU resources only).</summary>
    public static IReadOnlyDictionary<string, long> Advertised(InstanceTypeInfo type, GpuSharing sharing) =>
        type.Gpu is { Manufacturer: "nvidia", Count: > 0 } gpu
            ? sharing.Advertised(GpuModels.Find(gpu.Name, gpu.MemoryMiB), gpu.Count)
            : new Dictionary<string, long>();
}
