using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>Builders for instance types, pools and pods, in the spirit of Karpenter's fake cloud provider.</summary>
internal static class Fake
{
    public const long Gi = 1L << 30;
    public static readonly string[] Zones = ["test-zone-a", "test-zone-b", "test-zone-c"];

    public static InstanceTypeInfo Info(string name, int cpu, long memoryGiB, double onDemand, GpuInfo? gpu = null, double? spot = null, string arch = "amd64", IEnumerable<string>? zones = null) =>
        new()
        {
            Name = name,
            Architecture = arch,
            VCpus = cpu,
            MemoryMiB = memoryGiB * 1024,
            Gpu = gpu,
            MaxNetworkInterfaces = 4,
            Ipv4PerInterface = 15,
            Hypervisor = "nitro",
            Offerings = [.. (zones ?? Zones).SelectMany(z => new[]
            {
                new Offering(z, WellKnownLabels.CapacityTypes.OnDemand, onDemand),
                new Offering(z, WellKnownLabels.CapacityTypes.Spot, spot ?? onDemand * 0.4),
            })],
        };

    /// <summary>A small realistic mix: general purpose sizes and single/multi GPU types.</summary>
    public static IReadOnlyList<InstanceType> Catalog(bool spot = true) =>
    [
        .. new[]
        {
            Info("m5.large", 2, 8, 0.096),
            Info("m5.xlarge", 4, 16, 0.192),
            Info("m5.2xlarge", 8, 32, 0.384),
            Info("m5.4xlarge", 16, 64, 0.768),
            Info("g4dn.xlarge", 4, 16, 0.526, new GpuInfo("t4", "nvidia", 1, 16384)),
            Info("g4dn.12xlarge", 48, 192, 3.912, new GpuInfo("t4", "nvidia", 4, 16384)),
            Info("g5.xlarge", 4, 16, 1.006, new GpuInfo("a10g", "nvidia", 1, 24576)),
            Info("g5.12xlarge", 48, 192, 5.672, new GpuInfo("a10g", "nvidia", 4, 24576)),
            Info("g5.48xlarge", 192, 768, 16.288, new GpuInfo("a10g", "nvidia", 8, 24576)),
            Info("p4d.24xlarge", 96, 1152, 32.773, new GpuInfo("a100", "nvidia", 8, 40960)),
        }.Select(i => InstanceTypeResolver.Resolve(spot ? i : i with { Offerings = [.. i.Offerings.Where(o => o.CapacityType == "on-demand")] })),
    ];

    public static NodePoolTemplate Pool(string name, int weight = 0, IEnumerable<Requirement>? requirements = null, IReadOnlyList<Taint>? taints = null,
        ResourceList? limits = null, IReadOnlyList<InstanceType>? types = null, ResourceList? daemons = null) =>
        new()
        {
            Name = name,
            Weight = weight,
            Requirements = new Requirements([.. requirements ?? [], Requirement.In(WellKnownLabels.NodePool, name)]),
            Taints = taints ?? [],
            Limits = limits,
            DaemonOverhead = daemons ?? ResourceList.Empty,
            InstanceTypes = types ?? Catalog(),
        };

    public static readonly Taint GpuTaint = new() { Key = WellKnownTaints.NvidiaGpu, Value = "true", Effect = TaintEffects.NoSchedule };

    public static readonly Toleration GpuToleration = new(WellKnownTaints.NvidiaGpu, "Exists", null, TaintEffects.NoSchedule);

    public static Pod Pod(string name, long cpuMillis = 500, long memoryGiB = 1, long gpus = 0, IReadOnlyDictionary<string, string>? labels = null) =>
        new()
        {
            Namespace = "default",
            Name = name,
            Labels = labels ?? new Dictionary<string, string> { ["app"] = name },
            Requests = ResourceList.Of(("cpu", cpuMillis), ("memory", memoryGiB * Gi), (WellKnownResources.NvidiaGpu, gpus)),
            Tolerations = gpus > 0 ? [GpuToleration] : [],
        };

    public static IEnumerable<Pod> Pods(string prefix, int count, long cpuMillis = 500, long memoryGiB = 1, long gpus = 0, IReadOnlyDictionary<string, string>? labels = null) =>
        Enumerable.Range(0, count).Select(i => Pod($"{prefix}-{i}", cpuMillis, memoryGiB, gpus, labels ?? new Dictionary<string, string> { ["app"] = prefix }));

    public static Plan Solve(IEnumerable<Pod> pods, params NodePoolTemplate[] pools) => Scheduler.Solve(new SchedulingInput([.. pods], [], pools));

    public static Plan Solve(IEnumerable<Pod> pods, IReadOnlyList<ClusterNode> nodes, params NodePoolTemplate[] pools) => Scheduler.Solve(new SchedulingInput([.. pods], nodes, pools));
}
