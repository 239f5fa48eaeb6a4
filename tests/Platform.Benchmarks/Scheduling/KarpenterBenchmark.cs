using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Scheduling;

/// <summary>
/// Karpenter's scheduling benchmark (kubernetes-sigs/karpenter, pkg/controllers/provisioning/scheduling/
/// scheduling_benchmark_test.go), rebuilt on our types: one NodePool without requirements, 400 fake instance types
/// (fake-it-i: i+1 vCPU, 2(i+1) GiB, 10(i+1) pods, kube-reserved 100m and 10Mi, price 0.1 x vCPU + 0.1 x GB, spot
/// in zones 1-2 and on-demand in zones 1-3) and its "diverse pods": a fifth each of generic pods, zonal and
/// hostname topology spread (maxSkew 1, DoNotSchedule), zonal self-affinity, and hostname anti-affinity among all
/// of the last fifth; cpu and memory and labels drawn from a Random seeded with 42.
/// </summary>
internal static class KarpenterBenchmark
{
    private const string LabelKey = "my-label";
    private const string AffinityKey = "my-affinity";
    private static readonly string[] LabelValues = ["a", "b", "c", "d", "e", "f", "g"];
    private static readonly long[] CpuMillis = [100, 250, 500, 1000, 1500];
    private static readonly long[] MemoryMi = [100, 256, 512, 1024, 2048, 4096];
    private static readonly string[] Zones = ["test-zone-1", "test-zone-2", "test-zone-3"];

    public static NodePoolTemplate Pool() => new()
    {
        Name = "default",
        Requirements = new Requirements([Requirement.In(WellKnownLabels.NodePool, "default")]),
        InstanceTypes = InstanceTypes(400),
    };

    public static IReadOnlyList<InstanceType> InstanceTypes(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var cpu = i + 1;
            var memoryGi = 2L * (i + 1);
            var price = 0.1 * cpu + 0.1 * (memoryGi * (1L << 30) / 1e9);
            var name = $"fake-it-{i}";
            var info = new InstanceTypeInfo
            {
                Name = name,
                Architecture = "amd64",
                VCpus = cpu,
                MemoryMiB = memoryGi * 1024,
                MaxNetworkInterfaces = 1,
                Ipv4PerInterface = 2,
                Offerings =
                [
                    .. Zones.Take(2).Select(z => new Offering(z, WellKnownLabels.CapacityTypes.Spot, price)),
                    .. Zones.Select(z => new Offering(z, WellKnownLabels.CapacityTypes.OnDemand, price)),
                ],
            };
            return new InstanceType
            {
                Info = info,
                Labels = new Dictionary<string, string>
                {
                    [WellKnownLabels.InstanceType] = name,
                    [WellKnownLabels.Arch] = "amd64",
                    [WellKnownLabels.Os] = "linux",
                },
                Capacity = ResourceList.Of(("cpu", cpu * 1000L), ("memory", memoryGi << 30), ("pods", 10L * (i + 1))),
                Overhead = ResourceList.Of(("cpu", 100), ("memory", 10L << 20)),
                Offerings = info.Offerings,
            };
        }),
    ];

    public static IReadOnlyList<Pod> DiversePods(int count, Random random)
    {
        var fifth = count / 5;
        var pods = new List<Pod>(count);
        pods.AddRange(Generic(fifth, random, pods.Count));
        pods.AddRange(Spread(fifth, WellKnownLabels.Zone, random, pods.Count));
        pods.AddRange(Spread(fifth, WellKnownLabels.Hostname, random, pods.Count));
        pods.AddRange(Affinity(fifth, WellKnownLabels.Zone, random, pods.Count));
        pods.AddRange(AntiAffinity(fifth, WellKnownLabels.Hostname, random, pods.Count));
        pods.AddRange(Generic(count - pods.Count, random, pods.Count));
        return pods;
    }

    private static Pod Pod(int index, Dictionary<string, string> labels, Random random) => new()
    {
        Namespace = "default",
        Name = $"pod-{index}",
        Labels = labels,
        Requests = ResourceList.Of(("cpu", CpuMillis[random.Next(CpuMillis.Length)]), ("memory", MemoryMi[random.Next(MemoryMi.Length)] << 20)),
    };

    private static string Value(Random random) => LabelValues[random.Next(LabelValues.Length)];

    private static IEnumerable<Pod> Generic(int count, Random random, int first) =>
        Enumerable.Range(first, count).Select(i => Pod(i, new() { [LabelKey] = Value(random) }, random)).ToList();

    private static IEnumerable<Pod> Spread(int count, string key, Random random, int first) =>
        Enumerable.Range(first, count).Select(i =>
        {
            var labels = new Dictionary<string, string> { [LabelKey] = Value(random) };
            var selector = LabelSelector.Of((LabelKey, Value(random)));
            return Pod(i, labels, random) with { TopologySpread = [new TopologySpread(key, 1, true, selector)] };
        }).ToList();

    private static IEnumerable<Pod> Affinity(int count, string key, Random random, int first) =>
        Enumerable.Range(first, count).Select(i =>
        {
            var value = Value(random);
            return Pod(i, new() { [AffinityKey] = value }, random) with { Affinity = [new PodAffinityTerm(key, LabelSelector.Of((AffinityKey, value)), [])] };
        }).ToList();

    private static IEnumerable<Pod> AntiAffinity(int count, string key, Random random, int first) =>
        Enumerable.Range(first, count).Select(i =>
        {
            var labels = new Dictionary<string, string> { ["app"] = "nginx", [AffinityKey] = Value(random) };
            return Pod(i, labels, random) with { AntiAffinity = [new PodAffinityTerm(key, LabelSelector.Of(("app", "nginx")), [])] };
        }).ToList();
}
