using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>
/// Random batches the greedy solve packs badly, for the re-pack's properties: a catalog of many sizes per family, spot
/// prices drawn per type (so a larger type can cost less than a smaller one), GPU pods with one to forty cores, a spot GPU pool whose GPU
/// limit binds, an on-demand one below it by weight, and a CPU pool with a cpu limit. The seed replays one.
/// </summary>
internal static class PackingScenario
{
    private static readonly GpuInfo A10g = new("a10g", "nvidia", 1, 24576);
    private static readonly GpuInfo T4 = new("t4", "nvidia", 1, 16384);

    /// <summary>Sizes of one family side by side, with us-east-1 on-demand prices: the choice between many small and few large nodes.</summary>
    private static readonly InstanceTypeInfo[] Catalog =
    [
        Fake.Info("m5.large", 2, 8, 0.096), Fake.Info("m5.xlarge", 4, 16, 0.192), Fake.Info("m5.2xlarge", 8, 32, 0.384),
        Fake.Info("m5.4xlarge", 16, 64, 0.768), Fake.Info("m5.12xlarge", 48, 192, 2.304),
        Fake.Info("c5.large", 2, 4, 0.085), Fake.Info("c5.2xlarge", 8, 16, 0.34), Fake.Info("c5.9xlarge", 36, 72, 1.53),
        Fake.Info("r5.large", 2, 16, 0.126), Fake.Info("r5.4xlarge", 16, 128, 1.008),
        Fake.Info("g4dn.xlarge", 4, 16, 0.526, T4), Fake.Info("g4dn.4xlarge", 16, 64, 1.204, T4),
        Fake.Info("g4dn.12xlarge", 48, 192, 3.912, T4 with { Count = 4 }),
        Fake.Info("g5.xlarge", 4, 16, 1.006, A10g), Fake.Info("g5.2xlarge", 8, 32, 1.212, A10g), Fake.Info("g5.4xlarge", 16, 64, 1.624, A10g),
        Fake.Info("g5.8xlarge", 32, 128, 2.448, A10g), Fake.Info("g5.12xlarge", 48, 192, 5.672, A10g with { Count = 4 }),
        Fake.Info("g5.24xlarge", 96, 384, 8.144, A10g with { Count = 4 }), Fake.Info("g5.48xlarge", 192, 768, 16.288, A10g with { Count = 8 }),
    ];

    /// <param name="minValues">Each pool asks for at least two instance families among a claim's options (Karpenter's minValues).</param>
    public static RandomScenario Create(int seed, bool withTopology, bool minValues = false)
    {
        var random = new Random(seed);
        var types = Catalog.Select(t => InstanceTypeResolver.Resolve(t with
        {
            Offerings = [.. t.Offerings.Select(o => o.CapacityType == WellKnownLabels.CapacityTypes.Spot ? o with { Price = Math.Round(o.Price * (0.2 + random.NextDouble() * 0.6), 4) } : o)],
        })).ToList();
        var pools = new List<NodePoolTemplate>
        {
            Fake.Pool("gpu-spot", weight: 100, taints: [Fake.GpuTaint], types: types, requirements: [Requirement.In(WellKnownLabels.CapacityType, "spot")],
                limits: ResourceList.Of((WellKnownResources.NvidiaGpu, random.Next(1, 12)), ("cpu", 1000L * random.Next(8, 200))),
                daemons: ResourceList.Of(("cpu", random.Next(0, 4) * 100L))),
            Fake.Pool("gpu-on-demand", weight: 10, taints: [Fake.GpuTaint], types: types, requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand")],
                limits: random.Next(2) == 0 ? null : ResourceList.Of((WellKnownResources.NvidiaGpu, random.Next(4, 24)))),
            Fake.Pool("cpu", weight: 50, types: types, limits: ResourceList.Of(("cpu", 1000L * random.Next(4, 96))),
                daemons: ResourceList.Of(("cpu", random.Next(0, 4) * 100L))),
        };
        if (minValues)
        {
            var families = Requirement.From(WellKnownLabels.InstanceFamily, Operators.Exists, null, minValues: 2);
            pools = [.. pools.Select(p => p with { Requirements = p.Requirements.Intersect(new Requirements([families])) })];
        }

        var pods = new List<Pod>();
        // Half the shapes are one-GPU pods of 8 to 11.5 cores: a g5.4xlarge each, or four to a cheaper-per-pod g5.12xlarge.
        var shapes = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(2) == 0
            ? (Cpu: 250L * random.Next(32, 47), Memory: (long)random.Next(8, 40), Gpus: 1)
            : (Cpu: 250L * random.Next(1, 60), Memory: (long)random.Next(1, 40), Gpus: random.Next(3) == 0 ? 0 : random.Next(5) == 0 ? 4 : 1)).ToList();
        var count = random.Next(2, 40);
        for (var i = 0; i < count; i++)
        {
            var (cpu, memory, gpus) = shapes[random.Next(shapes.Count)];
            var pod = Fake.Pod($"p{i}", cpu, memory, gpus, new Dictionary<string, string> { ["app"] = $"a{random.Next(3)}" });
            if (random.Next(6) == 0)
            {
                pod = pod with { NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.Zone, Fake.Zones[random.Next(3)])])] };
            }

            if (withTopology && random.Next(4) == 0)
            {
                var selector = LabelSelector.Of(("app", pod.Labels["app"]));
                pod = random.Next(2) == 0
                    ? pod with { AntiAffinity = [new PodAffinityTerm(WellKnownLabels.Hostname, selector, [])] }
                    : pod with { TopologySpread = [new TopologySpread(WellKnownLabels.Zone, 1, true, selector)] };
            }

            pods.Add(pod);
        }

        return new RandomScenario(seed, pods, pools, withTopology);
    }
}
