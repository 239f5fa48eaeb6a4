using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// NodeClaims are owned by their NodePool, blocking its deletion, as Karpenter's are: a NodePool deleted in the
/// foreground (as <c>pulumi destroy</c> deletes it) is kept by the API server until the autoscaler has finished every
/// NodeClaim it owns.
/// </summary>
public sealed class NodeClaimOwnershipTests
{
    [Fact]
    public async Task Provision_PoolStoredWithUid_ClaimIsOwnedByItAndBlocksItsDeletion()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var context = new ControllerContext(cluster, new InMemoryCloud(BundledCatalog.Load(), clock), clock, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context);
        var pool = Pool("default", "default");
        pool.Metadata.Uid = "9f1c2d3e-0000-4000-8000-000000000001";
        cluster.Apply(NodeClass("default"));
        cluster.Apply(pool);
        cluster.Apply(Pod("a"));

        for (var i = 0; i < 5; i++, clock.Advance(TimeSpan.FromSeconds(1)))
        {
            await controllers.RunOnceAsync(CancellationToken.None);
        }

        var claim = Assert.Single((await cluster.SnapshotAsync(CancellationToken.None)).NodeClaims);
        var owner = Assert.Single(claim.Metadata.OwnerReferences);
        Assert.Equal(("karpenter.sh/v1", "NodePool", "default", pool.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.BlockOwnerDeletion));
        Assert.Contains(WellKnownAnnotations.TerminationFinalizer, claim.Metadata.Finalizers);
    }
}
