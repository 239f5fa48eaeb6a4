using System.Globalization;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// Turns catalog facts into what a node of the type will report, with the formulas EKS and Karpenter use:
/// memory less the hypervisor's share, pods from the ENI limit (or the kubelet's maxPods and podsPerCore),
/// kube-reserved from the CPU and pod counts, the 100Mi and 10% eviction thresholds, and GPU, Neuron and EFA devices.
/// </summary>
public static class InstanceTypeResolver
{
    /// <summary>Share of memory the hypervisor and OS take before the kubelet sees it (Karpenter's vmMemoryOverheadPercent).</summary>
    public const double VmMemoryOverheadPercent = 0.075;

    /// <summary>Root volume size when the node class gives none (Karpenter's AL2023 default).</summary>
    public const long DefaultEphemeralStorageGiB = 20;

    private const long Mi = 1024L * 1024;
    private const long Gi = 1024L * Mi;

    /// <summary>Resolves one type for a node class's kubelet settings and root volume size.</summary>
    public static InstanceType Resolve(InstanceTypeInfo info, KubeletConfiguration? kubelet = null, long? ephemeralStorageGiB = null)
    {
        var pods = Pods(info, kubelet);
        var capacity = Capacity(info, pods, (ephemeralStorageGiB ?? DefaultEphemeralStorageGiB) * Gi);
        return new InstanceType
        {
            Info = info,
            Labels = Labels(info),
            Capacity = capacity,
            Overhead = Overhead(info, pods, capacity, kubelet),
            Offerings = info.Offerings,
        };
    }

    /// <summary>The pod limit: kubelet maxPods, else the ENI limit; podsPerCore caps either.</summary>
    public static int Pods(InstanceTypeInfo info, KubeletConfiguration? kubelet)
    {
        var pods = kubelet?.MaxPods ?? info.EniLimitedPods;
        if (kubelet?.PodsPerCore is > 0 and var perCore)
        {
            pods = Math.Min(pods, perCore * info.VCpus);
        }

        return pods;
    }

    private static ResourceList Capacity(InstanceTypeInfo info, int pods, long ephemeralBytes)
    {
        // Karpenter also keeps 64 MiB back on arm64 for the kernel's memory map.
        var memoryMiB = info.MemoryMiB - (long)Math.Ceiling(info.MemoryMiB * VmMemoryOverheadPercent) - (info.Architecture == "arm64" ? 64 : 0);
        var amounts = new List<(string, long)>
        {
            (WellKnownResources.Cpu, info.VCpus * 1000L),
            (WellKnownResources.Memory, memoryMiB * Mi),
            (WellKnownResources.EphemeralStorage, ephemeralBytes),
            (WellKnownResources.Pods, pods),
        };
        if (info.Gpu is { } gpu && GpuResource(gpu.Manufacturer) is { } resource)
        {
            amounts.Add((resource, gpu.Count));
        }

        if (info.Accelerator is { } accelerator)
        {
            amounts.Add((WellKnownResources.AwsNeuron, accelerator.Count));
            amounts.Add((WellKnownResources.AwsNeuronCore, accelerator.CoreCount));
        }

        if (info.EfaInterfaces > 0)
        {
            amounts.Add((WellKnownResources.Efa, info.EfaInterfaces));
        }

        return ResourceList.Of([.. amounts]);
    }

    /// <summary>The device plugin resource a GPU maker's cards appear as; null for makers without one here.</summary>
    public static string? GpuResource(string manufacturer) => manufacturer switch
    {
        "nvidia" => WellKnownResources.NvidiaGpu,
        "amd" => WellKnownResources.AmdGpu,
        "habana" => WellKnownResources.HabanaGaudi,
        _ => null,
    };

    private static ResourceList Overhead(InstanceTypeInfo info, int pods, ResourceList capacity, KubeletConfiguration? kubelet)
    {
        var kubeReserved = kubelet?.KubeReserved is { } kr
            ? Reserved(kr)
            : ResourceList.Of(
                (WellKnownResources.Cpu, KubeReservedCpuMillis(info.VCpus)),
                (WellKnownResources.Memory, (11L * pods + 255) * Mi),
                (WellKnownResources.EphemeralStorage, 1 * Gi));
        var systemReserved = kubelet?.SystemReserved is { } sr ? Reserved(sr) : ResourceList.Empty;
        var eviction = ResourceList.Of(
            (WellKnownResources.Memory, Threshold(kubelet, "memory.available", capacity[WellKnownResources.Memory], 100 * Mi)),
            (WellKnownResources.EphemeralStorage, Threshold(kubelet, "nodefs.available", capacity[WellKnownResources.EphemeralStorage], capacity[WellKnownResources.EphemeralStorage] / 10)));
        return kubeReserved.Add(systemReserved).Add(eviction);
    }

    /// <summary>EKS's kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest.</summary>
    public static long KubeReservedCpuMillis(int vcpus)
    {
        (int Cores, double Percent)[] steps = [(1, 0.06), (1, 0.01), (2, 0.005), (int.MaxValue, 0.0025)];
        var remaining = vcpus;
        var millis = 0.0;
        foreach (var (cores, percent) in steps)
        {
            var take = Math.Min(remaining, cores);
            millis += take * 1000 * percent;
            remaining -= take;
            if (remaining <= 0)
            {
                break;
            }
        }

        return (long)Math.Ceiling(millis);
    }

    private static ResourceList Reserved(IDictionary<string, string> reserved) =>
        ResourceList.FromQuantities(reserved
            .Where(kv => kv.Key != "pid")
            .Select(kv => KeyValuePair.Create(kv.Key, new k8s.Models.ResourceQuantity(kv.Value))));

    /// <summary>
    /// What eviction keeps free of a signal: the larger of the hard and soft thresholds the kubelet sets (a soft one
    /// evicts too, after its grace period), else the kubelet's default, as Karpenter computes it.
    /// </summary>
    private static long Threshold(KubeletConfiguration? kubelet, string signal, long capacity, long fallback)
    {
        var thresholds = new[] { kubelet?.EvictionHard, kubelet?.EvictionSoft }
            .Select(map => map is not null && map.TryGetValue(signal, out var value) ? value : null)
            .OfType<string>()
            .Select(value => value.EndsWith('%')
                ? (long)Math.Ceiling(capacity * double.Parse(value[..^1], CultureInfo.InvariantCulture) / 100)
                : ResourceList.ToBaseUnits(WellKnownResources.Memory, new k8s.Models.ResourceQuantity(value)))
            .ToList();
        return thresholds.Count == 0 ? fallback : thresholds.Max();
    }

    /// <summary>
    /// The root volume's size in GiB, which is the node's ephemeral storage: the mapping marked rootVolume, else the
    /// first; null for the default.
    /// </summary>
    public static long? RootVolumeGiB(EC2NodeClassSpec? spec)
    {
        var mappings = spec?.BlockDeviceMappings ?? [];
        var root = mappings.FirstOrDefault(m => m.RootVolume == true) ?? mappings.FirstOrDefault();
        return root?.Ebs?.VolumeSize is { } size ? (long)(size.ToDecimal() / (1L << 30)) : null;
    }

    /// <summary>The well-known labels of the type (Karpenter's names and formats).</summary>
    public static IReadOnlyDictionary<string, string> Labels(InstanceTypeInfo info)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WellKnownLabels.InstanceType] = info.Name,
            [WellKnownLabels.Arch] = info.Architecture,
            [WellKnownLabels.Os] = "linux",
            [WellKnownLabels.InstanceCategory] = info.Category,
            [WellKnownLabels.InstanceFamily] = info.Family,
            [WellKnownLabels.InstanceSize] = info.Size,
            [WellKnownLabels.InstanceCpu] = Text(info.VCpus),
            [WellKnownLabels.InstanceMemory] = Text(info.MemoryMiB),
            [WellKnownLabels.InstanceEncryptionInTransitSupported] = info.EncryptionInTransit ? "true" : "false",
        };
        Set(labels, WellKnownLabels.InstanceGeneration, info.Generation);
        Set(labels, WellKnownLabels.InstanceHypervisor, info.Hypervisor);
        Set(labels, WellKnownLabels.InstanceCpuManufacturer, info.CpuManufacturer);
        if (info.SustainedClockSpeedMhz > 0)
        {
            labels[WellKnownLabels.InstanceCpuSustainedClockSpeedMhz] = Text(info.SustainedClockSpeedMhz);
        }

        if (info.NetworkBandwidthMbps > 0)
        {
            labels[WellKnownLabels.InstanceNetworkBandwidth] = Text(info.NetworkBandwidthMbps);
        }

        if (info.EbsBandwidthMbps > 0)
        {
            labels[WellKnownLabels.InstanceEbsBandwidth] = Text(info.EbsBandwidthMbps);
        }

        if (info.LocalNvmeGiB > 0)
        {
            labels[WellKnownLabels.InstanceLocalNvme] = Text(info.LocalNvmeGiB);
        }

        if (info.Gpu is { } gpu)
        {
            labels[WellKnownLabels.InstanceGpuName] = gpu.Name;
            labels[WellKnownLabels.InstanceGpuManufacturer] = gpu.Manufacturer;
            labels[WellKnownLabels.InstanceGpuCount] = Text(gpu.Count);
            labels[WellKnownLabels.InstanceGpuMemory] = Text(gpu.MemoryMiB);
        }

        if (info.Accelerator is { } accelerator)
        {
            labels[WellKnownLabels.InstanceAcceleratorName] = accelerator.Name;
            labels[WellKnownLabels.InstanceAcceleratorManufacturer] = accelerator.Manufacturer;
            labels[WellKnownLabels.InstanceAcceleratorCount] = Text(accelerator.Count);
        }

        return labels;
    }

    private static void Set(Dictionary<string, string> labels, string key, string value)
    {
        if (value.Length > 0)
        {
            labels[key] = value;
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
