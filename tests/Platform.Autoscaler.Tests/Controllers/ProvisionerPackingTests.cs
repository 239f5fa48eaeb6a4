using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>The provisioner buys what the re-packed plan says, not the greedy one.</summary>
public sealed class ProvisionerPackingTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    [Fact]
    public async Task Provisioner_SevenOneDeviceNeuronPods_LaunchesAnInf2_24xlargeAndAnInf2_8xlarge()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var cloud = new InMemoryCloud(Catalog, clock);
        // No deadline: the VirtualClock's timers run on real time, and this machine may be busy.
        var context = new ControllerContext(cluster, cloud, clock, new ControllerOptions { PackingBudget = null }, new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context);
        cluster.Apply(NodeClass("default"));
        cluster.Apply(Pool("neuron", "default", null,
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.CapacityType, Operator = Operators.In, Values = ["on-demand"] },
            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceFamily, Operator = Operators.In, Values = ["inf2"] }));
        for (var i = 0; i < 7; i++)
        {
            var pod = Pod($"neuron-{i}", cpu: "12", memory: "32Gi");
            pod.Spec.Containers[0].Resources.Requests[WellKnownResources.AwsNeuron] = new ResourceQuantity("1");
            cluster.Apply(pod);
        }

        for (var second = 0; second < 20; second++, clock.Advance(TimeSpan.FromSeconds(1)))
        {
            await controllers.RunOnceAsync(CancellationToken.None);
        }

        Assert.Equal(["inf2.24xlarge", "inf2.8xlarge"], cloud.All.Select(i => i.InstanceType).Order(StringComparer.Ordinal));
    }
}
