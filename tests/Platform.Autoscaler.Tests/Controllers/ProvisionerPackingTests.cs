using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>The provisioner buys what the re-packed plan says, not the greedy one.</summary>
public sealed class ProvisionerPackingTests
{
    [Fact]
    public async Task Provisioner_SevenOneDeviceNeuronPods_LaunchesAnInf2_24xlargeAndAnInf2_8xlarge()
    {
        // No deadline: the VirtualClock's timers run on real time, and this machine may be busy.
        var world = new LifecycleWorld(new ControllerOptions { PackingBudget = null });
        world.Cluster.Apply(NodeClass("default"));
        world.Cluster.Apply(Pool("neuron", "default", null,
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.CapacityType, Operator = Operators.In, Values = ["on-demand"] },
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceFamily, Operator = Operators.In, Values = ["inf2"] }));
        for (var i = 0; i < 7; i++)
        {
            var pod = Pod($"neuron-{i}", cpu: "12", memory: "32Gi");
            pod.Spec.Containers[0].Resources.Requests[WellKnownResources.AwsNeuron] = new ResourceQuantity("1");
            world.Cluster.Apply(pod);
        }

        await world.RunAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(["inf2.24xlarge", "inf2.8xlarge"], world.Cloud.All.Select(i => i.InstanceType).Order(StringComparer.Ordinal));
    }
}
