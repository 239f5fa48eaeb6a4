using Platform.Autoscaler.Core.GarbageCollection;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Core.Tests.GarbageCollection;

public sealed class GarbageCollectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static CloudInstance Instance(string id, string? claim, TimeSpan age, bool running = true) =>
        new($"aws:///us-east-1a/{id}", claim, "m5.large", "us-east-1a", "spot", 0.04, Now - age, running);

    [Fact]
    public void Decide_UnownedInstancePastGrace_Terminated()
    {
        var decision = GarbageCollector.Decide([Instance("i-1", "gone", TimeSpan.FromMinutes(5)), Instance("i-2", null, TimeSpan.FromMinutes(5))], [], Now);
        Assert.Equal(["aws:///us-east-1a/i-1", "aws:///us-east-1a/i-2"], decision.TerminateInstances.Select(t => t.Instance.ProviderId));
        Assert.Contains("NodeClaim gone no longer exists", decision.TerminateInstances[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UnownedInstanceWithinGrace_Kept()
    {
        var decision = GarbageCollector.Decide([Instance("i-1", "launching", TimeSpan.FromSeconds(10))], [], Now);
        Assert.Empty(decision.TerminateInstances);
    }

    [Fact]
    public void Decide_OwnedInstance_KeptEvenBeforeTheClaimKnowsItsId()
    {
        var claims = new[] { new ClaimRecord("a", null, Now.AddMinutes(-5)), new ClaimRecord("b", "aws:///us-east-1a/i-2", Now.AddMinutes(-5)) };
        var decision = GarbageCollector.Decide([Instance("i-1", "a", TimeSpan.FromMinutes(5)), Instance("i-2", null, TimeSpan.FromMinutes(5))], claims, Now);
        Assert.Empty(decision.TerminateInstances);
        Assert.Empty(decision.DeleteClaims);
    }

    [Fact]
    public void Decide_ClaimWhoseInstanceIsGoneOrTerminating_Deleted()
    {
        var claims = new[] { new ClaimRecord("a", "aws:///us-east-1a/i-1", Now.AddHours(-1)), new ClaimRecord("b", "aws:///us-east-1a/i-2", Now.AddHours(-1)) };
        var decision = GarbageCollector.Decide([Instance("i-2", "b", TimeSpan.FromHours(1), running: false)], claims, Now);
        Assert.Equal(["a", "b"], decision.DeleteClaims.Select(d => d.Claim.Name));
    }

    [Fact]
    public void Decide_TerminatedUnownedInstance_NotTerminatedAgain()
    {
        var decision = GarbageCollector.Decide([Instance("i-1", null, TimeSpan.FromHours(1), running: false)], [], Now);
        Assert.Empty(decision.TerminateInstances);
    }
}
