using Microsoft.Extensions.Time.Testing;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using static Platform.Autoscaler.Core.Tests.TestKit.Fake;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

/// <summary>The re-pack after the greedy solve, on the examples over the bundled us-east-1 catalog.</summary>
public sealed class PackingTests
{
    private static readonly IReadOnlyList<InstanceType> Bundled = [.. BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t))];

    private static readonly Taint NeuronTaint = new() { Key = WellKnownTaints.AwsNeuron, Value = "true", Effect = TaintEffects.NoSchedule };

    private static NodePoolTemplate BundledPool(string name, ResourceList? limits = null, IReadOnlyList<Taint>? taints = null, params Requirement[] requirements) =>
        Pool(name, requirements: requirements, taints: taints, limits: limits, types: Bundled);

    private static Plan Solve(IEnumerable<Pod> pods, PackingOptions packing, params NodePoolTemplate[] pools) =>
        Scheduler.Solve(new SchedulingInput([.. pods], [], pools, Packing: packing));

    private static IEnumerable<Pod> NeuronPods(int count) => Enumerable.Range(0, count).Select(i => new Pod
    {
        Namespace = "ml",
        Name = $"neuron-{i}",
        Requests = ResourceList.Of(("cpu", 12_000), ("memory", 32 * Gi), (WellKnownResources.AwsNeuron, 1)),
        Tolerations = [new Toleration(WellKnownTaints.AwsNeuron, "Exists", null, null)],
    });

    [Fact]
    public void Solve_SevenOneDeviceNeuronPods_OneInf2_24xlargeAndOneInf2_8xlarge()
    {
        var pool = BundledPool("neuron", taints: [NeuronTaint], requirements:
            [Requirement.In(WellKnownLabels.InstanceFamily, "inf2"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")]);

        var greedy = Solve(NeuronPods(7), PackingOptions.Greedy, pool);
        var plan = Solve(NeuronPods(7), PackingOptions.Default, pool);

        Assert.Equal(7, greedy.NodeClaims.Count(c => c.Cheapest.InstanceType == "inf2.8xlarge"));
        Assert.Equal(13.78, greedy.HourlyCost, 2);
        Assert.Equal(["inf2.24xlarge", "inf2.8xlarge"], plan.NodeClaims.Select(c => c.Cheapest.InstanceType).Order(StringComparer.Ordinal));
        Assert.Equal(8.46, plan.HourlyCost, 2);
        Assert.Equal([1, 6], plan.NodeClaims.Select(c => c.Pods.Count).Order());
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Solve_FourCpuHeavyOneGpuA10gPods_OneG5_12xlarge()
    {
        var pool = BundledPool("gpu", taints: [GpuTaint], requirements:
            [Requirement.In(WellKnownLabels.InstanceGpuName, "a10g"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")]);
        var pods = Pods("encode", 4, cpuMillis: 10_000, memoryGiB: 24, gpus: 1).ToList();

        var greedy = Solve(pods, PackingOptions.Greedy, pool);
        var plan = Solve(pods, PackingOptions.Default, pool);

        Assert.Equal(4, greedy.NodeClaims.Count);
        var claim = Assert.Single(plan.NodeClaims);
        Assert.Equal("g5.12xlarge", claim.Cheapest.InstanceType);
        Assert.Equal(4, claim.Pods.Count);
        Assert.True(plan.HourlyCost < greedy.HourlyCost, $"{plan.HourlyCost} vs greedy {greedy.HourlyCost}");
    }

    [Fact]
    public void Solve_LimitStopsThePodsCheapestType_MostPodsPlacedWithinTheLimit()
    {
        // In us-east-1c a spot g6.2xlarge (8 vCPU) costs less than a g6.xlarge (4 vCPU): the greedy solve buys one for
        // the first pod and the cpu=10 limit leaves no room for the second; two g6.xlarge take both within it.
        var pool = BundledPool("gpu", limits: ResourceList.Of(("cpu", 10_000)), taints: [GpuTaint], requirements:
            [Requirement.In(WellKnownLabels.InstanceFamily, "g6"), Requirement.In(WellKnownLabels.CapacityType, "spot"), Requirement.In(WellKnownLabels.Zone, "us-east-1c")]);
        var pods = Pods("infer", 2, cpuMillis: 1_000, memoryGiB: 10, gpus: 1).ToList();

        var greedy = Solve(pods, PackingOptions.Greedy, pool);
        var plan = Solve(pods, PackingOptions.Default, pool);

        Assert.Equal("g6.2xlarge", Assert.Single(greedy.NodeClaims).Cheapest.InstanceType);
        Assert.Single(greedy.Unplaced);
        Assert.Empty(plan.Unplaced);
        Assert.Equal(["g6.xlarge", "g6.xlarge"], plan.NodeClaims.Select(c => c.Cheapest.InstanceType));
        Assert.All(plan.NodeClaims, c => Assert.All(c.Options, o => Assert.NotEqual("g6.2xlarge", o.InstanceType)));
        Assert.Equal(pods.Select(p => p.Id).Order(), plan.Placements.Select(p => p.Pod.Id).Order());
    }

    [Fact]
    public void Solve_SpotGpuLimitSpentOnOneFourGpuPod_TheOneGpuPodsTakeItInstead()
    {
        // Largest first, the greedy solve gives the spot pool's four GPUs to the four-GPU pod and sends the four
        // one-GPU pods to the on-demand pool; with them on spot instead, four pods run in the pool of highest weight.
        var spot = Pool("spot", weight: 100, taints: [GpuTaint], limits: ResourceList.Of((WellKnownResources.NvidiaGpu, 4)),
            requirements: [Requirement.In(WellKnownLabels.CapacityType, "spot"), Requirement.In(WellKnownLabels.InstanceGpuName, "t4")]);
        var onDemand = Pool("on-demand", weight: 10, taints: [GpuTaint],
            requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand"), Requirement.In(WellKnownLabels.InstanceGpuName, "t4")]);
        var pods = Pods("small", 4, cpuMillis: 1_000, memoryGiB: 4, gpus: 1).Append(Pod("large", 8_000, 32, gpus: 4)).ToList();

        var greedy = Solve(pods, PackingOptions.Greedy, spot, onDemand);
        var plan = Solve(pods, PackingOptions.Default, spot, onDemand);

        Assert.Equal(["large"], greedy.NodeClaims.Where(c => c.NodePool == "spot").SelectMany(c => c.Pods).Select(p => p.Name));
        Assert.Equal(["small-0", "small-1", "small-2", "small-3"], plan.NodeClaims.Where(c => c.NodePool == "spot").SelectMany(c => c.Pods).Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["large"], plan.NodeClaims.Where(c => c.NodePool == "on-demand").SelectMany(c => c.Pods).Select(p => p.Name));
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Solve_TwentyCpuPodsOfThreeShapes_TheOptimumThatTheRelaxationsOwnPatternsMiss()
    {
        // The optimality benchmark's batch 20004, whose optimum of $0.6011/h its exact solver proves. The relaxation's
        // optimum uses a handful of patterns, and the best whole number of nodes of those costs $0.6414/h: the best mix
        // (seven of one shape on a c6g.4xlarge) is among the patterns only the enumeration within the gap finds.
        var pool = Pool("cpu", limits: ResourceList.Of(("cpu", 292_000)), types: Bundled, daemons: ResourceList.Of(("cpu", 300), ("memory", 512L << 20)),
            requirements: [Requirement.In(WellKnownLabels.InstanceCategory, "c", "m", "r"), Requirement.In(WellKnownLabels.Arch, "amd64", "arm64")]);
        static IEnumerable<Pod> Shape(string name, int count, long cpuMillis, long memoryMiB) => Enumerable.Range(0, count).Select(i => new Pod
        {
            Namespace = "ml",
            Name = $"{name}-{i}",
            Labels = new Dictionary<string, string> { ["app"] = name },
            Requests = ResourceList.Of(("cpu", cpuMillis), ("memory", memoryMiB << 20)),
        });
        var pods = Shape("api0", 3, 3750, 6656).Concat(Shape("api1", 9, 1000, 15872)).Concat(Shape("api2", 8, 2000, 3584)).ToList();

        var greedy = Solve(pods, PackingOptions.Greedy, pool);
        var plan = Solve(pods, PackingOptions.Default, pool);

        Assert.Equal(0.8364, greedy.HourlyCost, 4);
        Assert.Equal(0.6011, plan.HourlyCost, 4);
        Assert.Equal(20, plan.Placements.Count);
    }

    [Fact]
    public void Solve_CancelledBeforeTheRepack_KeepsTheGreedyPlan()
    {
        var pool = BundledPool("neuron", taints: [NeuronTaint], requirements:
            [Requirement.In(WellKnownLabels.InstanceFamily, "inf2"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")]);

        var plan = Solve(NeuronPods(7), PackingOptions.Default with { Cancellation = new CancellationToken(canceled: true) }, pool);

        Assert.Equal(7, plan.NodeClaims.Count(c => c.Cheapest.InstanceType == "inf2.8xlarge"));
    }

    [Fact]
    public void Solve_BudgetOnAClockThatDoesNotMove_ImprovesAsWithoutADeadline()
    {
        // One tick of budget: were the deadline taken from the wall clock, the re-pack would stop before it began.
        var clock = new FakeTimeProvider();
        var pool = BundledPool("neuron", taints: [NeuronTaint], requirements:
            [Requirement.In(WellKnownLabels.InstanceFamily, "inf2"), Requirement.In(WellKnownLabels.CapacityType, "on-demand")]);

        var plan = Solve(NeuronPods(7), PackingOptions.Default with { Clock = clock, Budget = TimeSpan.FromTicks(1) }, pool);

        Assert.Equal(8.46, plan.HourlyCost, 2);
    }
}
