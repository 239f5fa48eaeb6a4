using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Scheduling;

/// <summary>
/// A GPU platform's batch on the bundled us-east-1 catalog: inference pods (1 GPU, a10g/l4/t4), large-model
/// pods (8 GPU, a100/h100), training pods (8 GPU, on-demand only) and CPU pods, over an inference pool (spot and
/// on-demand), a large-model pool, a training pool (on-demand) and a CPU pool; GPU pools tainted nvidia.com/gpu.
/// </summary>
internal static class GpuScenario
{
    private static readonly Toleration Gpu = new(WellKnownTaints.NvidiaGpu, "Exists", null, null);
    private static readonly Taint GpuTaint = new() { Key = WellKnownTaints.NvidiaGpu, Value = "true", Effect = TaintEffects.NoSchedule };

    public static IReadOnlyList<NodePoolTemplate> Pools(InstanceCatalog catalog)
    {
        var types = catalog.InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t, ephemeralStorageGiB: 200)).ToList();
        var daemons = ResourceList.Of(("cpu", 300), ("memory", 512L << 20));
        NodePoolTemplate Pool(string name, int weight, bool gpu, params Requirement[] requirements) => new()
        {
            Name = name,
            Weight = weight,
            Requirements = new Requirements([.. requirements, Requirement.In(WellKnownLabels.NodePool, name)]),
            Taints = gpu ? [GpuTaint] : [],
            DaemonOverhead = daemons,
            InstanceTypes = types,
        };

        return
        [
            Pool("gpu-inference", 100, true, Requirement.In(WellKnownLabels.InstanceGpuName, "a10g", "l4", "t4")),
            Pool("gpu-large-model", 50, true, Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100"), Requirement.In(WellKnownLabels.InstanceGpuCount, "8")),
            Pool("gpu-training", 40, true, Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")),
            Pool("cpu", 10, false, Requirement.In(WellKnownLabels.InstanceCategory, "c", "m", "r"), Requirement.In(WellKnownLabels.Arch, "amd64", "arm64")),
        ];
    }

    public static IReadOnlyList<Pod> Pods(Random random)
    {
        var pods = new List<Pod>();
        Pod Make(string name, long cpu, long memoryGi, long gpus, bool tolerate) => new()
        {
            Namespace = "ml",
            Name = name,
            Labels = new Dictionary<string, string> { ["app"] = name.Split('-')[0] },
            Requests = ResourceList.Of(("cpu", cpu), ("memory", memoryGi << 30), (WellKnownResources.NvidiaGpu, gpus)),
            Tolerations = tolerate ? [Gpu] : [],
        };

        for (var i = 0; i < 120; i++)
        {
            pods.Add(Make($"inference-{i}", 1000 * random.Next(2, 4), random.Next(6, 13), 1, true) with
            {
                NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.InstanceGpuName, "a10g", "l4", "t4")])],
            });
        }

        for (var i = 0; i < 12; i++)
        {
            pods.Add(Make($"largemodel-{i}", 1000 * random.Next(32, 64), random.Next(256, 512), 8, true) with
            {
                NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100")])],
            });
        }

        for (var i = 0; i < 8; i++)
        {
            pods.Add(Make($"training-{i}", 1000 * random.Next(64, 90), random.Next(512, 1024), 8, true) with
            {
                NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.CapacityType, "on-demand"), Requirement.In(WellKnownLabels.InstanceGpuName, "a100", "h100")])],
                DoNotDisrupt = true,
            });
        }

        for (var i = 0; i < 300; i++)
        {
            pods.Add(Make($"api-{i}", 250 * random.Next(1, 9), random.Next(1, 9), 0, false));
        }

        return pods;
    }
}
