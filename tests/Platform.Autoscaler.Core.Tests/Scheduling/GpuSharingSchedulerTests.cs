using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Core.Tests.TestKit.Fake;

namespace Platform.Autoscaler.Core.Tests.Scheduling;

/// <summary>The solver over types a pool's GPU sharing offers, on the bundled catalog's on-demand prices.</summary>
public sealed class GpuSharingSchedulerTests
{
    private static readonly IReadOnlyList<InstanceType> Types = [.. BundledCatalog.Load().InstanceTypes
        .Select(t => InstanceTypeResolver.Resolve(t with { Offerings = [.. t.Offerings.Where(o => o.CapacityType == "on-demand")] }))];

    private static readonly GpuOperatorConfig Config = GpuOperatorConfig.From(
    [
        new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "plugin" },
            Data = new Dictionary<string, string>
            {
                ["mixed"] = "version: v1\nflags:\n  migStrategy: mixed\n",
                ["single"] = "version: v1\nflags:\n  migStrategy: single\n",
            },
        },
    ], GpuOperatorSource.ByContent);

    private static NodePoolTemplate SharedPool(string name, string? layout, string plugin, int weight, params string[] types)
    {
        var sharing = Config.Resolve(new GpuSharingSpec(layout, plugin)).Sharing!;
        return Pool(name, weight, [Requirement.In(WellKnownLabels.InstanceType, types)], [GpuTaint],
            types: SharedGpuTypes.Apply([.. Types.Where(t => types.Contains(t.Name))], sharing).Offered);
    }

    private static Pod Asking(string name, string resource, long amount = 1) => Pod(name, 1000, 4) with
    {
        Requests = ResourceList.Of(("cpu", 1000), ("memory", 4L << 30), (resource, amount)),
        Tolerations = [GpuToleration],
        Labels = new Dictionary<string, string> { ["app"] = name.Split('-')[0] },
    };

    [Fact]
    public void Solve_MigProfilePods_GoToTheMixedPoolsTypeWithThatProfile()
    {
        var pools = new[]
        {
            SharedPool("balanced", "all-balanced", "mixed", 10, "p4d.24xlarge", "p5.48xlarge"),
        };
        var pods = Enumerable.Range(0, 16).Select(i => Asking($"small-{i}", "nvidia.com/mig-1g.10gb"))
            .Concat(Enumerable.Range(0, 8).Select(i => Asking($"large-{i}", "nvidia.com/mig-3g.40gb")));

        var plan = Solve(pods, pools);

        // all-balanced on an H100 is 2x 1g.10gb + 1x 2g.20gb + 1x 3g.40gb per GPU: one p5.48xlarge holds all 24 pods;
        // on the p4d's A100 40 GB the same layout has 1g.5gb and 3g.20gb, which these pods cannot use.
        var claim = Assert.Single(plan.NodeClaims);
        Assert.Equal("p5.48xlarge", claim.Cheapest.InstanceType);
        Assert.Equal(24, claim.Pods.Count);
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Solve_EqualWeights_MigSlicesWinByPricePerPodAndWholeGpusTakeTheRest()
    {
        // Twenty one-GPU pods: a p5.4xlarge split seven ways costs $6.88/7 = $0.98 a pod, a g5.xlarge $1.006. The MIG
        // pool takes sevens while seven pods remain; six left cost $6.88/6 = $1.15 a pod there, so they go whole.
        var mig = SharedPool("mig", "all-1g.10gb", "single", 10, "p5.4xlarge");
        var whole = Pool("whole", 10, [Requirement.In(WellKnownLabels.InstanceType, "g5.xlarge")], [GpuTaint], types: [.. Types.Where(t => t.Name == "g5.xlarge")]);

        var plan = Solve(Enumerable.Range(0, 20).Select(i => Asking($"llm-{i}", WellKnownResources.NvidiaGpu)), mig, whole);

        Assert.Empty(plan.Unplaced);
        Assert.Equal(2, plan.NodeClaims.Count(c => c.NodePool == "mig"));
        Assert.Equal(6, plan.NodeClaims.Count(c => c.NodePool == "whole"));
        Assert.Equal(2 * 6.88 + 6 * 1.006, plan.HourlyCost, 6);
    }

    [Fact]
    public void Solve_HigherWeightWholeGpuPool_StillWins()
    {
        var mig = SharedPool("mig", "all-1g.10gb", "single", 10, "p5.4xlarge");
        var whole = Pool("whole", 20, [Requirement.In(WellKnownLabels.InstanceType, "g5.xlarge")], [GpuTaint], types: [.. Types.Where(t => t.Name == "g5.xlarge")]);

        var plan = Solve(Enumerable.Range(0, 20).Select(i => Asking($"llm-{i}", WellKnownResources.NvidiaGpu)), mig, whole);

        Assert.All(plan.NodeClaims, c => Assert.Equal("whole", c.NodePool));
    }

    [Fact]
    public void Solve_RandomMigBatches_NoClaimAsksForMoreThanItsLayoutAdvertises() => Properties.Check(100, [], seed =>
    {
        // Against the profile tables, not the offering code: what a claim's cheapest type advertises per profile is
        // GPUs x the layout's instances of it on that GPU.
        var random = new Random(seed);
        var layouts = new[] { "all-balanced", "all-1g.10gb", "all-3g.40gb", "all-2g.20gb", "all-1g.20gb" };
        var layout = layouts[random.Next(layouts.Length)];
        var pool = SharedPool("mig", layout, "mixed", 0, "p4d.24xlarge", "p4de.24xlarge", "p5.4xlarge", "p5.48xlarge", "p5en.48xlarge");
        var profiles = new[] { "1g.10gb", "2g.20gb", "3g.40gb", "1g.20gb", "1g.5gb", "3g.20gb" };
        var pods = Enumerable.Range(0, random.Next(1, 60))
            .Select(i => Asking($"p{i % 4}-{i}", MigProfile.ResourceNameOf(profiles[random.Next(profiles.Length)]), random.Next(1, 3)));
        var plan = Solve(pods, pool);
        return plan.NodeClaims.All(claim =>
        {
            var type = Types.Single(t => t.Name == claim.Cheapest.InstanceType);
            var gpu = type.Info.Gpu!;
            var instances = MigPartedConfig.OperatorDefaults.Layouts[layout].For(GpuModels.Find(gpu.Name, gpu.MemoryMiB)!, 0)?.MigDevices;
            return instances is not null && claim.Requests.Entries.Where(e => e.Key.StartsWith(MigProfile.ResourcePrefix, StringComparison.Ordinal))
                .All(e => e.Value <= (long)instances.GetValueOrDefault(e.Key[MigProfile.ResourcePrefix.Length..]) * gpu.Count);
        });
    });

    [Fact]
    public void Solve_MigPoolLimit_IsNeverExceeded() => Properties.Check(50, [], seed =>
    {
        var random = new Random(seed);
        var limit = random.Next(7, 40);
        var pool = SharedPool("mig", "all-1g.10gb", "mixed", 0, "p5.4xlarge", "p5.48xlarge") with
        {
            Limits = ResourceList.Of(("nvidia.com/mig-1g.10gb", limit)),
        };
        var plan = Solve(Enumerable.Range(0, random.Next(1, 80)).Select(i => Asking($"s-{i}", "nvidia.com/mig-1g.10gb")), pool);
        var capacity = plan.NodeClaims.Sum(c => Types.Single(t => t.Name == c.Cheapest.InstanceType).Info.Gpu!.Count * 7L);
        return capacity <= limit && plan.NodeClaims.Sum(c => c.Pods.Count) <= limit;
    });
}
