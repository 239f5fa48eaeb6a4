using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>A launch the cloud refuses for a reason other than capacity: retried with backoff, never blocking the others, given up after the registration TTL.</summary>
public sealed class LaunchFailureTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    [Fact]
    public async Task Launch_OneClaimRefused_OthersLaunch_ItBacksOff_AndIsReplacedAfterTheRegistrationTtl()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        // Every launch of the first NodeClaim asked for is refused, as EC2 refuses one whose template is gone.
        string? refused = null;
        var attempts = 0;
        var cloud = new RefusingCloud(new InMemoryCloud(Catalog, clock), attempt =>
        {
            refused ??= attempt.NodeClaim;
            if (attempt.NodeClaim != refused)
            {
                return null;
            }

            attempts++;
            return new LaunchFailedException("InvalidLaunchTemplateName.NotFoundException: The specified launch template does not exist.");
        });
        var context = new ControllerContext(cluster, cloud, clock, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context);
        cluster.Apply(NodeClass("default"));
        cluster.Apply(Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] }));

        // 1.5 cpu each: one m5.large holds one of them.
        cluster.Apply(Pod("a", cpu: "1500m"));
        cluster.Apply(Pod("b", cpu: "1500m"));

        async Task RunAsync(TimeSpan duration)
        {
            for (var end = clock.GetUtcNow() + duration; clock.GetUtcNow() < end; clock.Advance(TimeSpan.FromSeconds(1)))
            {
                await controllers.RunOnceAsync(CancellationToken.None);
            }
        }

        await RunAsync(TimeSpan.FromSeconds(20));

        // The other claim launched; the refused one was tried after gaps of 1, 2, 4, 8 s, not on each of ~18 passes.
        var launched = Assert.Single(cloud.Inner.All);
        Assert.NotEqual(refused, launched.NodeClaim);
        Assert.InRange(attempts, 4, 5);
        Assert.Single(cluster.Events, e => e.Reason == "LaunchFailed" && e.Name == refused);

        await RunAsync(TimeSpan.FromMinutes(16));
        Assert.Contains(cluster.Events, e => e.Reason == "Liveness" && e.Name == refused);
        Assert.Equal(2, cloud.Inner.All.Count(i => i.Running));
    }
}
