using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;
using Platform.Tests.Shared;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.RealApiServer;

/// <summary>
/// A node's life through the controllers and the Kubernetes adapter against a real API server, which is what the
/// fixes for NotReady nodes, status and ownership must satisfy: the server itself taints a new node not-ready; while
/// it stays NotReady past a second solve of the batch no second NodeClaim is made; registration gives the node the
/// termination finalizer and its claim as owner; NodeClaim, NodePool and EC2NodeClass statuses and finalizers pass
/// the CRDs' schema and CEL rules; <c>kubectl delete node</c> ends the instance; a deleted EC2NodeClass goes once no
/// claim uses it. The test plays the kubelet, kube-scheduler and the node lifecycle controller (not running here);
/// the controllers run on a virtual clock that starts at the server's time and only moves ahead of it.
/// </summary>
public sealed class NodeLifecycleTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    [KubeApiServerFact]
    public async Task NodeLife_NotReadyThenReadyThenDeleted_OneInstance_StatusesAccepted_InstanceEnded()
    {
        using var server = new KubeApiServer(controllerManager: true);
        var client = server.Client;
        await RealCluster.InstallCrdsAsync(client);

        var clock = new VirtualClock(TimeProvider.System.GetUtcNow());
        var cloud = new InMemoryCloud(Catalog, clock);
        await using var port = new KubernetesClusterPort(client, TimeProvider.System);
        using (var sync = new CancellationTokenSource(RealCluster.Patience))
        {
            await port.StartAsync(sync.Token);
        }

        var context = new ControllerContext(port, cloud, clock, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context, null, new InMemoryNodeClasses(Catalog));
        await client.CustomObjects.CreateClusterCustomObjectAsync(NodeClass("default"), EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural);
        await client.CustomObjects.CreateClusterCustomObjectAsync(
            Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] }),
            NodePool.Group, NodePool.Version, NodePool.Plural);
        var ns = await server.CreateNamespaceAsync(nameof(NodeLife_NotReadyThenReadyThenDeleted_OneInstance_StatusesAccepted_InstanceEnded));
        await RealCluster.CreatePendingPodAsync(client, ns, "app");

        // One pass a virtual second, the informers given a moment to show the last pass's writes.
        async Task PassesAsync(TimeSpan duration, Action<Cluster.ClusterSnapshot>? check = null)
        {
            for (var end = clock.GetUtcNow() + duration; clock.GetUtcNow() < end; clock.Advance(TimeSpan.FromSeconds(1)))
            {
                await Task.Delay(50);
                await controllers.RunOnceAsync(CancellationToken.None);
                check?.Invoke(await port.SnapshotAsync(CancellationToken.None));
            }
        }

        async Task<Cluster.ClusterSnapshot> PassesUntilAsync(Func<Cluster.ClusterSnapshot, bool> done, string what)
        {
            Cluster.ClusterSnapshot? snapshot = null;
            await RealCluster.UntilAsync(async () =>
            {
                await controllers.RunOnceAsync(CancellationToken.None);
                clock.Advance(TimeSpan.FromSeconds(1));
                snapshot = await port.SnapshotAsync(CancellationToken.None);
                return done(snapshot);
            }, what);
            return snapshot!;
        }

        var launched = await PassesUntilAsync(s => s.NodeClaims.Any(c => c.Status?.ProviderID is not null), "a launched NodeClaim");
        var claim = launched.NodeClaims.Single();
        var instance = cloud.All.Single();

        // The kubelet registers the node, NotReady, with the unregistered taint; the API server adds not-ready.
        var type = new ResolvedTypes().For(Catalog, null, new HashSet<(string, string, string)>()).Single(t => t.Name == instance.InstanceType);
        var registered = KubeletNode.For(instance, type, [new V1Taint { Key = WellKnownTaints.Unregistered, Effect = TaintEffects.NoExecute }]);
        registered.Metadata.CreationTimestamp = null;
        var node = (await client.CoreV1.CreateNodeAsync(registered)).Metadata.Name;
        Assert.Contains((await client.CoreV1.ReadNodeAsync(node)).Spec.Taints, t => t.Key == WellKnownTaints.NotReady && t.Effect == TaintEffects.NoSchedule);

        // NotReady past the 30 s after which an unchanged batch is solved again: still the one claim.
        await PassesAsync(TimeSpan.FromSeconds(45), snapshot => Assert.True(snapshot.NodeClaims.Count == 1,
            $"a second NodeClaim while the node was NotReady: {string.Join(", ", snapshot.NodeClaims.Select(c => c.Metadata.Name))}"));
        Assert.Single(cloud.All);
        var stored = await client.CoreV1.ReadNodeAsync(node);
        Assert.Equal([WellKnownAnnotations.TerminationFinalizer], stored.Metadata.Finalizers);
        Assert.Equal((claim.Metadata.Name, claim.Metadata.Uid, true), (stored.Metadata.OwnerReferences.Single().Name, stored.Metadata.OwnerReferences.Single().Uid, stored.Metadata.OwnerReferences.Single().BlockOwnerDeletion));
        Assert.DoesNotContain(stored.Spec.Taints, t => t.Key == WellKnownTaints.Unregistered);

        // The kubelet reports Ready; the node lifecycle controller (not running here) would then drop not-ready.
        stored.Status.Conditions = [KubeletNode.Ready()];
        await client.CoreV1.ReplaceNodeStatusAsync(stored, node);
        await client.CoreV1.PatchNodeAsync(new V1Patch(new JsonObject
        {
            ["spec"] = new JsonObject { ["taints"] = JsonNode.Parse(KubernetesJson.Serialize(stored.Spec.Taints.Where(t => t.Key != WellKnownTaints.NotReady).ToList())) },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), node);
        var ready = await PassesUntilAsync(s => s.NodeClaims.Single().Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true
            && s.NodePools.Single().Status?.Nodes == 1, "the NodeClaim Ready and the NodePool counting its node");
        var pool = ready.NodePools.Single().Status!;
        Assert.All(pool.Conditions!.Where(c => c.Type is "Ready" or "NodeClassReady" or "ValidationSucceeded"), c => Assert.Equal("True", c.Status));
        Assert.Equal(3, pool.Conditions!.Count);
        Assert.Contains(WellKnownAnnotations.NodeClassTerminationFinalizer, ready.NodeClasses.Single().Metadata.Finalizers);

        // kube-scheduler binds the pod; then kubectl delete node.
        await client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = "app" },
            Target = new V1ObjectReference { Kind = "Node", Name = node },
        }, "app", ns);
        await client.CoreV1.DeleteNodeAsync(node);
        await PassesUntilAsync(s => s.Nodes.Count == 0 && s.NodeClaims.Count == 0, "the node's termination");
        Assert.False(cloud.All.Single().Running, "the deleted node's instance was left running");
        // Evicted: with no kubelet to end it, the pod stays terminating (until the pod garbage collector removes it),
        // and the drain does not wait for it past a minute over its grace period, as Karpenter's does not.
        Assert.NotNull(Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns)).Items).Metadata.DeletionTimestamp);

        // The EC2NodeClass, no longer used, goes once its finalizer is released.
        await client.CustomObjects.DeleteClusterCustomObjectAsync(EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural, "default");
        await PassesUntilAsync(s => s.NodeClasses.Count == 0, "the EC2NodeClass to go");
    }
}
