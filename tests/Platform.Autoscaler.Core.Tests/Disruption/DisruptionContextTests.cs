using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Core.Tests.TestKit.Cluster;

namespace Platform.Autoscaler.Core.Tests.Disruption;

public sealed class DisruptionContextTests
{
    [Fact]
    public void Simulate_ReplacementFilledByAnEarlierCommand_ItsRoomIsNotPromisedTwice()
    {
        // m5.large offers 1930m. a's pod needs a new m5.large (430m left); b's 400m pod then lands in that room and
        // c's 400m pod must find another place, not the same 430m.
        var b = Fake.Pod("b-small", 400);
        var c = Fake.Pod("c-small", 400);
        var input = Input(
        [
            Node("full", "m5.large", [Fake.Pod("full", 1900)]),
            Node("a", "m5.large", [Fake.Pod("a", 1500)]),
            Node("b", "m5.large", [b, Fake.Pod("b-big", 1500)]),
            Node("c", "m5.large", [c, Fake.Pod("c-big", 1500)]),
        ]);
        var context = new DisruptionContext(input);
        string Target(string node, Pod pod)
        {
            var removing = input.Nodes.Single(n => n.Name == node);
            var plan = context.Simulate([removing], maxNew: int.MaxValue);
            context.Take(new DisruptionCommand("Test", "Underutilized", [removing], plan.NodeClaims, 0, "test"), plan);
            return plan.Placements.Single(p => p.Pod == pod).Target;
        }

        _ = Target("a", input.Nodes[1].Workload.Single());
        var bWent = Target("b", b);
        var cWent = Target("c", c);

        Assert.NotEqual(bWent, cWent);
    }
}
