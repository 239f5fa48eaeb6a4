using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Core.Tests.TestKit.Cluster;

namespace Platform.Autoscaler.Core.Tests.Disruption;

public sealed class MergeProposalsTests
{
    /// <summary>A small node, a cpu-heavy and a memory-heavy type, each cheaper per unit of its strength.</summary>
    private static readonly IReadOnlyList<InstanceType> Types =
        [.. new[] { Fake.Info("s.large", 2, 8, 0.10), Fake.Info("c.2xlarge", 8, 8, 0.25), Fake.Info("r.large", 2, 32, 0.25) }.Select(i => InstanceTypeResolver.Resolve(i))];

    private static readonly NodePoolTemplate OnDemand = Fake.Pool("general", requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand")], types: Types);

    [Fact]
    public void Rank_CpuHeavyNodesBehindAMemoryHeavyOne_GatheredOntoTheCpuType()
    {
        // In candidate order the memory-heavy node fills the cpu type alone; densest first takes the four cpu-heavy
        // nodes, which one c.2xlarge holds for 0.25 instead of 0.40.
        var nodes = new[] { ("m1", 200L, 6L), ("c1", 1500L, 1L), ("m2", 200L, 6L), ("c2", 1500L, 1L), ("c3", 1500L, 1L), ("c4", 1500L, 1L) }
            .Select(n => Node(n.Item1, "s.large", [Fake.Pod(n.Item1 + "-web", n.Item2, n.Item3)], types: Types)).ToList();
        var pool = OnDemand;

        var ranked = new MergeProposals(pool, new SchedulerCache().For(pool), nodes).Rank(nodes).ToList();

        Assert.Equal(["c1", "c2", "c3", "c4"], ranked[0].Select(n => n.Name));
        Assert.Equal(["m1", "c1", "m2"], ranked[1].Select(n => n.Name));
        Assert.Equal(2, ranked.Count);
    }

    [Fact]
    public void Rank_NoTypeHoldsTwoNodesForLess_NothingProposed()
    {
        // Two 1500m pods need a c.2xlarge, dearer than the two small nodes.
        var nodes = Enumerable.Range(0, 2).Select(i => Node($"n{i}", "s.large", [Fake.Pod($"n{i}-web", 1500, 1)], types: Types)).ToList();
        var pool = OnDemand;

        Assert.Empty(new MergeProposals(pool, new SchedulerCache().For(pool), nodes).Rank(nodes));
    }
}
