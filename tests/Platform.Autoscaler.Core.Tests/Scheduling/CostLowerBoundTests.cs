using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using static Platform.Autoscaler.Core.Tests.TestKit.Fake;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

public sealed class CostLowerBoundTests
{
    [Fact]
    public void Compute_OneGpuPods_BoundIsOneSmallSpotNodeEachAndThePlanMeetsIt()
    {
        var pods = Pods("infer", 8, 1000, 4, gpus: 1).ToList();
        var pool = Pool("gpu", taints: [GpuTaint]);
        var (bound, unplaceable) = CostLowerBound.Compute(pods, [pool]);
        Assert.Equal(0, unplaceable);
        Assert.Equal(8 * 0.526 * 0.4, bound, 6);
        Assert.Equal(bound, Solve(pods, pool).HourlyCost, 6);
    }

    [Fact]
    public void Compute_CpuPods_BoundUsesFractionalNodes()
    {
        var pods = Pods("web", 10, 1000, 1).ToList();
        var (bound, _) = CostLowerBound.Compute(pods, [Pool("general", requirements: [Requirement.In(Api.WellKnownLabels.CapacityType, "on-demand")])]);
        // 10 vCPU at the best price per allocatable vCPU (m5.4xlarge: 0.768 for 15.89 vCPU) is a fraction of a node.
        Assert.InRange(bound, 10 * 0.768 / 15.89 - 1e-3, 10 * 0.768 / 15.89 + 1e-3);
    }

    [Fact]
    public void Compute_PodNothingTakes_CountedUnplaceable()
    {
        var (_, unplaceable) = CostLowerBound.Compute([Pod("huge", 500, 1, gpus: 64)], [Pool("gpu", taints: [GpuTaint])]);
        Assert.Equal(1, unplaceable);
    }

    [Fact]
    public void Compute_DaemonOverhead_RaisesTheBound()
    {
        var pods = Pods("web", 4, 1000, 1).ToList();
        var lean = CostLowerBound.Compute(pods, [Pool("general")]).Cost;
        var heavy = CostLowerBound.Compute(pods, [Pool("general", daemons: ResourceList.Of(("cpu", 1000)))]).Cost;
        Assert.True(heavy > lean, $"{heavy} <= {lean}");
    }
}
