using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Core.Tests.TestKit;

namespace Platform.Autoscaler.Core.Tests.Launch;

public sealed class LaunchPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly InstanceCatalog Catalog = new("test", "fake", [.. Fake.Catalog().Select(t => t.Info)]);

    /// <summary>The seeds' tiers: g5 spot (weight 100), g4dn spot (50), g5 on-demand (10).</summary>
    private static NodePoolTemplate[] Tiers(InstanceCatalog catalog)
    {
        var types = catalog.InstanceTypes.Select(i => InstanceTypeResolver.Resolve(i)).ToList();
        NodePoolTemplate Tier(string name, int weight, string family, string capacity) =>
            Fake.Pool(name, weight, [Requirement.In(WellKnownLabels.InstanceFamily, family), Requirement.In(WellKnownLabels.CapacityType, capacity)], [Fake.GpuTaint], types: types);
        return [Tier("g5-spot", 100, "g5", "spot"), Tier("g4dn-spot", 50, "g4dn", "spot"), Tier("g5-on-demand", 10, "g5", "on-demand")];
    }

    private static Plan PlanWith(UnavailableOfferings unavailable) =>
        Scheduler.Solve(new SchedulingInput([.. Fake.Pods("infer", 2, 1000, 4, gpus: 1)], [], Tiers(Catalog.WithUnavailable(unavailable.Snapshot(Now)))));

    private static void Exhaust(UnavailableOfferings unavailable, string family, string capacity)
    {
        foreach (var type in Catalog.InstanceTypes.Where(t => t.Family == family))
        {
            foreach (var offering in type.Offerings.Where(o => o.CapacityType == capacity))
            {
                unavailable.Mark(new OfferingKey(type.Name, offering.Zone, capacity), Now);
            }
        }
    }

    [Fact]
    public void Plan_TiersFallThroughInWeightOrderAsOfferingsRunOut()
    {
        var unavailable = new UnavailableOfferings();
        Assert.All(PlanWith(unavailable).NodeClaims, c => Assert.Equal("g5-spot", c.NodePool));
        Exhaust(unavailable, "g5", "spot");
        Assert.All(PlanWith(unavailable).NodeClaims, c => Assert.Equal("g4dn-spot", c.NodePool));
        Exhaust(unavailable, "g4dn", "spot");
        var plan = PlanWith(unavailable);
        Assert.Empty(plan.Unplaced);
        Assert.All(plan.NodeClaims, c => Assert.Equal("g5-on-demand", c.NodePool));
    }

    [Fact]
    public void Unavailable_ForgottenAfterTheTtl()
    {
        var unavailable = new UnavailableOfferings(TimeSpan.FromMinutes(3));
        var key = new OfferingKey("g5.xlarge", "test-zone-a", "spot");
        unavailable.Mark(key, Now);
        Assert.True(unavailable.IsUnavailable(key, Now.AddMinutes(2)));
        Assert.False(unavailable.IsUnavailable(key, Now.AddMinutes(3)));
        Assert.Empty(unavailable.Snapshot(Now.AddMinutes(3)));
    }

    [Fact]
    public void Attempts_SpotTierFirstThenOnDemand_SkippingUnavailable()
    {
        var claim = Scheduler.Solve(new SchedulingInput([Fake.Pod("infer", 1000, 4, gpus: 1)], [], [Fake.Pool("gpu", taints: [Fake.GpuTaint])])).NodeClaims[0];
        var unavailable = new UnavailableOfferings();
        unavailable.Mark(new OfferingKey("g4dn.xlarge", "test-zone-a", "spot"), Now);
        var attempts = LaunchPlan.Attempts(claim, "gpu", unavailable, Now);
        Assert.Equal(["spot", "on-demand"], attempts.Select(a => a.CapacityType));
        Assert.DoesNotContain(attempts[0].Offerings, o => o is { InstanceType: "g4dn.xlarge", Zone: "test-zone-a" });
        Assert.True(attempts[0].Offerings.Select(o => o.Price).SequenceEqual(attempts[0].Offerings.Select(o => o.Price).Order()));
    }

    [Fact]
    public async Task Launch_SpotExhausted_FallsBackToOnDemandAndRemembers()
    {
        var claim = Scheduler.Solve(new SchedulingInput([Fake.Pod("infer", 1000, 4, gpus: 1)], [], [Fake.Pool("gpu", taints: [Fake.GpuTaint])])).NodeClaims[0];
        var cloud = new FakeCloud(Catalog, Now);
        foreach (var option in claim.Options.Where(o => o.CapacityType == "spot"))
        {
            cloud.NoCapacity.Add(new OfferingKey(option.InstanceType, option.Zone, option.CapacityType));
        }

        var unavailable = new UnavailableOfferings();
        var fallbacks = new List<string>();
        var instance = await LaunchPlan.LaunchAsync(cloud, claim, "gpu", unavailable, () => Now, (a, _) => fallbacks.Add(a.CapacityType), CancellationToken.None);
        Assert.Equal("on-demand", instance.CapacityType);
        Assert.Equal(["spot"], fallbacks);
        Assert.True(unavailable.IsUnavailable(new OfferingKey(claim.Options[0].InstanceType, claim.Options[0].Zone, "spot"), Now));
    }

    [Fact]
    public async Task Launch_RetriedForOneNodeClaim_OneInstance()
    {
        var claim = Scheduler.Solve(new SchedulingInput([Fake.Pod("web")], [], [Fake.Pool("general")])).NodeClaims[0];
        var cloud = new FakeCloud(Catalog, Now);
        var first = await LaunchPlan.LaunchAsync(cloud, claim, "default", new UnavailableOfferings(), () => Now, null, CancellationToken.None);
        var second = await LaunchPlan.LaunchAsync(cloud, claim, "default", new UnavailableOfferings(), () => Now, null, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Single(await cloud.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Launch_EverythingExhausted_ThrowsNamingOfferings()
    {
        var claim = Scheduler.Solve(new SchedulingInput([Fake.Pod("web")], [], [Fake.Pool("general")])).NodeClaims[0];
        var cloud = new FakeCloud(Catalog, Now);
        foreach (var option in claim.Options)
        {
            cloud.NoCapacity.Add(new OfferingKey(option.InstanceType, option.Zone, option.CapacityType));
        }

        var error = await Assert.ThrowsAsync<InsufficientCapacityException>(() =>
            LaunchPlan.LaunchAsync(cloud, claim, "default", new UnavailableOfferings(), () => Now, null, CancellationToken.None));
        Assert.NotEmpty(error.Offerings);
    }
}
