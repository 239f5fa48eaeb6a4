using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// A random pending batch of a GPU platform on the bundled us-east-1 catalog, from a seed: replicas of a few workloads
/// of random shapes (one-GPU inference, CPU-heavy one-GPU, four-GPU, Neuron, eight-GPU training, CPU services), in
/// proportions drawn per batch, over five pools: inference on spot (weight 100, a GPU limit drawn per batch) falling back to on-demand
/// (10), Neuron (50, a device limit), training on on-demand A100/H100 (40) and CPU (10, a cpu limit).
/// No pod carries topology constraints or zone requirements: the exact model places pods by resources, requirements,
/// taints, limits and pool weights.
/// </summary>
internal sealed record GpuBatch(int Seed, IReadOnlyList<Pod> Pods, IReadOnlyList<NodePoolTemplate> Pools)
{
    private const long Gi = 1L << 30;
    private static readonly Taint GpuTaint = new() { Key = WellKnownTaints.NvidiaGpu, Value = "true", Effect = TaintEffects.NoSchedule };
    private static readonly Taint NeuronTaint = new() { Key = WellKnownTaints.AwsNeuron, Value = "true", Effect = TaintEffects.NoSchedule };
    private static readonly Toleration Gpu = new(WellKnownTaints.NvidiaGpu, "Exists", null, null);
    private static readonly Toleration Neuron = new(WellKnownTaints.AwsNeuron, "Exists", null, null);

    public static GpuBatch Create(int seed, int size, IReadOnlyList<InstanceType> types)
    {
        var random = new Random(seed);
        var daemons = ResourceList.Of(("cpu", 300), ("memory", 512L << 20));
        NodePoolTemplate Pool(string name, int weight, Taint? taint, ResourceList? limits, params Requirement[] requirements) => new()
        {
            Name = name,
            Weight = weight,
            Requirements = new Requirements([.. requirements, Requirement.In(WellKnownLabels.NodePool, name)]),
            Taints = taint is null ? [] : [taint],
            Limits = limits,
            DaemonOverhead = daemons,
            InstanceTypes = types,
        };

        var inferenceGpus = Requirement.In(WellKnownLabels.InstanceGpuName, "a10g", "l4", "t4");
        // The spot pool's GPU limit often binds (pods spill to on-demand); the others leave room for every pod, so
        // the optimum places them all and plan and optimum compare on the same pods.
        var pools = new List<NodePoolTemplate>
        {
            Pool("inference-spot", 100, GpuTaint, ResourceList.Of((WellKnownResources.NvidiaGpu, random.Next(size / 8 + 2, size / 2 + 4))),
                inferenceGpus, Requirement.In(WellKnownLabels.CapacityType, "spot")),
            Pool("inference-on-demand", 10, GpuTaint, null, inferenceGpus, Requirement.In(WellKnownLabels.CapacityType, "on-demand")),
            Pool("neuron", 50, NeuronTaint, ResourceList.Of((WellKnownResources.AwsNeuron, 2 * size + 24)), Requirement.In(WellKnownLabels.InstanceFamily, "inf2")),
            Pool("training", 40, GpuTaint, null, Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")),
            Pool("cpu", 10, null, ResourceList.Of(("cpu", 1000L * (5 * size + 192))),
                Requirement.In(WellKnownLabels.InstanceCategory, "c", "m", "r"), Requirement.In(WellKnownLabels.Arch, "amd64", "arm64")),
        };

        // A batch is replicas of a few workloads (Deployments, Jobs), each of one shape: kinds of workload in shares
        // drawn per batch, so some batches are mostly inference, others mostly CPU.
        var shares = new[] { 4 + random.Next(6), 1 + random.Next(3), random.Next(2), 1 + random.Next(3), random.Next(2), 3 + random.Next(6) };
        var workloads = Math.Clamp(size / 15 + 2, 3, 30);
        var weights = Enumerable.Range(0, workloads).Select(_ => 1 + random.Next(10)).ToList();
        var replicas = weights.Select(w => Math.Max(1, size * w / weights.Sum())).ToList();
        replicas[0] += size - replicas.Sum();
        var pods = new List<Pod>();
        for (var w = 0; w < workloads; w++)
        {
            var pick = random.Next(shares.Sum());
            var kind = 0;
            while (pick >= shares[kind])
            {
                pick -= shares[kind++];
            }

            var template = kind switch
            {
                0 => Make($"inference{w}", 1000 * random.Next(2, 7), random.Next(8, 25) * Gi, (WellKnownResources.NvidiaGpu, 1), Gpu, inferenceGpus),
                1 => Make($"encode{w}", 1000 * random.Next(8, 21), random.Next(16, 49) * Gi, (WellKnownResources.NvidiaGpu, 1), Gpu, inferenceGpus),
                2 => Make($"batch{w}", 1000 * random.Next(16, 41), random.Next(64, 161) * Gi, (WellKnownResources.NvidiaGpu, 4), Gpu, inferenceGpus),
                3 => Make($"neuron{w}", 1000 * random.Next(4, 25), random.Next(16, 65) * Gi, (WellKnownResources.AwsNeuron, random.Next(1, 3)), Neuron, null),
                4 => Make($"training{w}", 1000 * random.Next(64, 91), random.Next(512, 1025) * Gi, (WellKnownResources.NvidiaGpu, 8), Gpu,
                    Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100")),
                _ => Make($"api{w}", 250 * random.Next(1, 17), random.Next(1, 33) * Gi / 2, null, null, null),
            };
            // Training jobs are a few pods; the rest of their share goes to the first workload.
            var count = kind == 4 ? Math.Min(replicas[w], 4) : replicas[w];
            pods.AddRange(Enumerable.Range(0, count).Select(i => template with { Name = $"{template.Name}-{i}" }));
        }

        while (pods.Count < size)
        {
            pods.Add(pods[0] with { Name = $"{pods[0].Name}-extra{pods.Count}" });
        }

        return new GpuBatch(seed, pods, pools);
    }

    private static Pod Make(string name, long cpuMillis, long memory, (string Name, long Count)? device, Toleration? toleration, Requirement? requirement) => new()
    {
        Namespace = "ml",
        Name = name,
        Labels = new Dictionary<string, string> { ["app"] = name },
        Requests = device is { } d ? ResourceList.Of(("cpu", cpuMillis), ("memory", memory), d) : ResourceList.Of(("cpu", cpuMillis), ("memory", memory)),
        Tolerations = toleration is null ? [] : [toleration],
        NodeRequirements = requirement is null ? [Requirements.None] : [new Requirements([requirement])],
    };

    public override string ToString() => $"seed {Seed}: {Pods.Count} pods";
}
