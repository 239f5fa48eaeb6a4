using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using Platform.Tests.Shared;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.RealApiServer;

/// <summary>
/// What <c>pulumi destroy</c> relies on, against a real API server and its garbage collector: a NodePool deleted in
/// the foreground stays until the autoscaler has finished every NodeClaim it owns (terminated the instance, removed
/// the finalizer), and only then goes.
/// </summary>
public sealed class NodePoolDeletionTests
{
    [KubeApiServerFact]
    public async Task DeleteNodePool_Foreground_StaysUntilTheAutoscalerHasTerminatedItsNodeClaims()
    {
        using var server = new KubeApiServer(controllerManager: true);
        var client = server.Client;
        await RealCluster.InstallCrdsAsync(client);

        var cloud = new InMemoryCloud(BundledCatalog.Load(), TimeProvider.System);
        await using var port = new KubernetesClusterPort(client, TimeProvider.System);
        using (var sync = new CancellationTokenSource(RealCluster.Patience))
        {
            await port.StartAsync(sync.Token);
        }

        var controllers = new AutoscalerControllers(new ControllerContext(port, cloud, TimeProvider.System, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance));
        await client.CustomObjects.CreateClusterCustomObjectAsync(NodeClass("default"), EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural);
        await client.CustomObjects.CreateClusterCustomObjectAsync(Pool("default", "default"), NodePool.Group, NodePool.Version, NodePool.Plural);
        var ns = await server.CreateNamespaceAsync(nameof(DeleteNodePool_Foreground_StaysUntilTheAutoscalerHasTerminatedItsNodeClaims));
        await RealCluster.CreatePendingPodAsync(client, ns, "app");

        NodeClaim? claim = null;
        await RealCluster.UntilAsync(async () =>
        {
            await controllers.RunOnceAsync(CancellationToken.None);
            claim = (await port.SnapshotAsync(CancellationToken.None)).NodeClaims.FirstOrDefault(c => c.Status?.ProviderID is not null);
            return claim is not null;
        }, "a launched NodeClaim");
        var pool = (await port.SnapshotAsync(CancellationToken.None)).NodePools.Single();
        var owner = Assert.Single(claim!.Metadata.OwnerReferences);
        Assert.Equal((pool.Metadata.Uid, true), (owner.Uid, owner.BlockOwnerDeletion));

        await client.CustomObjects.DeleteClusterCustomObjectAsync(NodePool.Group, NodePool.Version, NodePool.Plural, "default",
            new V1DeleteOptions { PropagationPolicy = "Foreground" });

        // The garbage collector deletes the NodeClaim; its finalizer holds it, and the pool with it.
        await RealCluster.UntilAsync(async () => (await port.SnapshotAsync(CancellationToken.None)).NodeClaims.SingleOrDefault()?.Metadata.DeletionTimestamp is not null,
            "the garbage collector to delete the NodeClaim");
        Assert.NotNull((await port.SnapshotAsync(CancellationToken.None)).NodePools.Single().Metadata.DeletionTimestamp);
        Assert.Single(cloud.All);

        // The autoscaler terminates the instance and lets the NodeClaim go; then the pool goes.
        await RealCluster.UntilAsync(async () =>
        {
            await controllers.RunOnceAsync(CancellationToken.None);
            var snapshot = await port.SnapshotAsync(CancellationToken.None);
            return snapshot.NodeClaims.Count == 0 && snapshot.NodePools.Count == 0;
        }, "the NodeClaim and then the NodePool to go");
        Assert.DoesNotContain(cloud.All, i => i.Running);
    }
}
