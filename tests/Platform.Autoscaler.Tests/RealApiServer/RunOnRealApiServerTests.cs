using System.Net;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Tests.RealApiServer.Host;
using Platform.Infra.Blueprint.Autoscaler;
using Xunit.Abstractions;

namespace Platform.Autoscaler.Tests.RealApiServer;

/// <summary>
/// The service binary (<c>platform-autoscaler run</c>: the real Kubernetes adapter, leader election, metrics) as the
/// stack deploys it, against a real API server as its ServiceAccount with the stack's RBAC, and against moto_server,
/// through a node's whole life: a pending pod gets one NodeClaim and one tagged instance, no second one while the new
/// node is NotReady, and is bound once the node is initialized; deleted, its node is consolidated once
/// consolidateAfter has passed and the instance terminated; a second node is ended by <c>kubectl delete node</c>. The
/// API server's audit log then shows no request of the service that was refused.
/// </summary>
public sealed class RunOnRealApiServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NotReadyFor = TimeSpan.FromSeconds(35);

    [RealHostFact]
    public async Task Run_NodeLifeAsItsServiceAccount_OneInstancePerPod_ConsolidatedAndDeleted_NothingForbidden()
    {
        await using var world = await RealHostWorld.StartAsync("run-node-life", new CrashPlan([]));
        try
        {
            await NodeLifeAsync(world, output);
        }
        catch
        {
            output.WriteLine(world.Describe());
            throw;
        }
    }

    private static async Task NodeLifeAsync(RealHostWorld world, ITestOutputHelper output)
    {
        var started = TimeProvider.System.GetUtcNow();
        var client = world.Server.Client;
        // On EKS a node is NotReady for 10-60 s while its CNI starts: longer than the 30 s after which an unchanged
        // batch of pending pods is solved again.
        world.Cluster.NotReadyFor = NotReadyFor;
        world.StartService("platform-autoscaler-0");
        await world.CreatePodAsync("web-0");

        // One NodeClaim, launched as one instance tagged for it, its pool, its class and the cluster.
        var claim = await world.UntilAsync(async () => (await world.Cluster.NodeClaimsAsync()).FirstOrDefault(c => c.Status?.ProviderID is not null), "a launched NodeClaim");
        var instance = Assert.Single(await world.Cluster.InstancesAsync());
        Assert.Equal(claim.Status!.ProviderID, ClusterStandIn.ProviderId(instance));
        var tags = instance.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        Assert.Equal(claim.Metadata.Name, tags.GetValueOrDefault("karpenter.sh/nodeclaim"));
        Assert.Equal("default", tags.GetValueOrDefault("karpenter.sh/nodepool"));
        Assert.Equal("default", tags.GetValueOrDefault("karpenter.k8s.aws/ec2nodeclass"));
        Assert.Equal("owned", tags.GetValueOrDefault($"kubernetes.io/cluster/{world.Settings.ClusterName}"));
        Assert.Equal("m5.large", instance.InstanceType.Value);

        // The kubelet registers the node, NotReady; the autoscaler registers it while it stays so.
        var node = await world.UntilAsync(() => Task.FromResult(world.Cluster.Registered.Keys.SingleOrDefault()), "the kubelet to register the node");
        await world.UntilAsync(async () => Condition(await ClaimAsync(client, claim.Metadata.Name), "Registered") == "True", "the NodeClaim Registered");
        var registered = await client.CoreV1.ReadNodeAsync(node);
        Assert.Contains(registered.Spec.Taints, t => t.Key == WellKnownTaints.NotReady);
        Assert.Equal([WellKnownAnnotations.TerminationFinalizer], registered.Metadata.Finalizers);
        Assert.Equal((claim.Metadata.Name, true), (registered.Metadata.OwnerReferences.Single().Name, registered.Metadata.OwnerReferences.Single().BlockOwnerDeletion == true));

        // Ready, then initialized; the pod is bound there and nowhere else.
        var pod = await world.UntilAsync(async () => await client.CoreV1.ReadNamespacedPodAsync("web-0", world.PodNamespace) is { Spec.NodeName: not null } bound ? bound : null,
            "the pod to be bound", TimeSpan.FromSeconds(120));
        Assert.Equal(node, pod.Spec.NodeName);
        output.WriteLine($"pod bound {(TimeProvider.System.GetUtcNow() - started).TotalSeconds:F1} s after the service started ({NotReadyFor.TotalSeconds} s of it NotReady)");
        Assert.True(TimeProvider.System.GetUtcNow() - world.Cluster.Registered[node] >= NotReadyFor, "the pod was bound before its node was Ready");
        await world.UntilAsync(async () => Condition(await ClaimAsync(client, claim.Metadata.Name), "Initialized") == "True", "the NodeClaim Initialized");
        Assert.Equal((1, 1), (world.Cluster.MostLiveNodeClaims, world.Cluster.MostLiveInstances));

        // The host's other faces: it holds the stack's Lease, is ready, and exports Karpenter's metrics.
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(AutoscalerManifests.LeaderElectionLease, AutoscalerManifests.Namespace);
        Assert.Equal("platform-autoscaler-0", lease.Spec.HolderIdentity);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(world.ReadyzUrl))).StatusCode);
            var metrics = await http.GetStringAsync(new Uri(world.MetricsUrl));
            Assert.Contains("karpenter_nodeclaims_launched_total{nodepool=\"default\"", metrics, StringComparison.Ordinal);
            Assert.Contains($"node_name=\"{node}\"", metrics, StringComparison.Ordinal);
        }

        // The pod runs past the 20 s for which its placement keeps the node from disruption (Karpenter's nomination
        // window). Then deleted, it leaves the node empty: consolidateAfter counts from then, and the decision waits the
        // validation delay before it is carried out; the instance is terminated.
        await Task.Delay(TimeSpan.FromSeconds(25));
        var podDeleted = TimeProvider.System.GetUtcNow();
        await client.CoreV1.DeleteNamespacedPodAsync("web-0", world.PodNamespace);
        // (Its termination may be over before the next look: deleted or already gone.)
        await world.UntilAsync(async () => await ClaimAsync(client, claim.Metadata.Name) is not { Metadata.DeletionTimestamp: null }, "the empty node's NodeClaim to be deleted");
        var consolidatedAfter = TimeProvider.System.GetUtcNow() - podDeleted;
        output.WriteLine($"NodeClaim deleted {consolidatedAfter.TotalSeconds:F1} s after its pod left (consolidateAfter {RealHostWorld.ConsolidateAfter.TotalSeconds} s)");
        var earliest = RealHostWorld.ConsolidateAfter + new ControllerOptions().ValidationDelay;
        Assert.True(consolidatedAfter >= earliest, $"consolidated {consolidatedAfter.TotalSeconds:F1} s after its pod left, before consolidateAfter and validation ({earliest.TotalSeconds} s)");
        await world.UntilAsync(async () => await ClaimAsync(client, claim.Metadata.Name) is null && (await client.CoreV1.ListNodeAsync()).Items.Count == 0,
            "the NodeClaim and the node to go");
        Assert.False(ClusterStandIn.Running(Assert.Single(await world.Cluster.InstancesAsync())), "the consolidated node's instance still runs");

        // A second node, ended by kubectl delete node: drained (its pod evicted), the instance terminated, the node gone.
        world.Cluster.NotReadyFor = TimeSpan.FromSeconds(2);
        await world.CreatePodAsync("web-1");
        var second = await world.UntilAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("web-1", world.PodNamespace)).Spec.NodeName, "the second pod to be bound");
        var (exit, said) = world.Server.Kubectl(null, "delete", "node", second, "--wait=false");
        Assert.True(exit == 0, said);
        await world.UntilAsync(async () => (await world.Cluster.NodeClaimsAsync()).Count == 0 && (await client.CoreV1.ListNodeAsync()).Items.Count == 0,
            "the deleted node's NodeClaim and the node to go");
        var instances = await world.Cluster.InstancesAsync();
        Assert.Equal(2, instances.Count);
        Assert.DoesNotContain(instances, ClusterStandIn.Running);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(world.PodNamespace)).Items);
        Assert.Equal((1, 1), (world.Cluster.MostLiveNodeClaims, world.Cluster.MostLiveInstances));

        // SIGTERM stops the service within its 25 s shutdown timeout, and it hands the Lease back on its way out.
        var service = world.Processes.Single();
        Assert.True(service.Terminate(TimeSpan.FromSeconds(30)), "the service did not stop within 30 s of SIGTERM");
        Assert.Equal(0, service.ExitCode);
        lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(AutoscalerManifests.LeaderElectionLease, AutoscalerManifests.Namespace);
        Assert.Equal("", lease.Spec.HolderIdentity ?? "");

        // The service was its ServiceAccount to the API server, and the stack's RBAC let it do all of the above.
        var requests = world.ServiceRequests();
        var refused = requests.Where(r => r.Code is 401 or 403).Select(r => r.ToString()).Distinct().ToList();
        Assert.True(refused.Count == 0, "the API server refused the service: " + string.Join("; ", refused));
        var sent = requests.Select(r => $"{r.Verb} {(r.Group.Length == 0 ? "" : r.Group + "/")}{r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}").ToHashSet();
        string[] expected =
        [
            "create karpenter.sh/nodeclaims", "patch karpenter.sh/nodeclaims/status", "delete karpenter.sh/nodeclaims", "patch nodes", "delete nodes",
            "create pods/eviction", "patch karpenter.sh/nodepools/status", "patch karpenter.k8s.aws/ec2nodeclasses/status", "update coordination.k8s.io/leases",
            "watch pods", "watch nodes", "watch karpenter.sh/nodeclaims", "watch configmaps",
        ];
        var missing = expected.Where(e => !sent.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"the audit log has none of: {string.Join(", ", missing)}; the service sent: {string.Join(", ", sent.Order(StringComparer.Ordinal))}");

        // What the crash test kills after, in this order, is what a life without kills goes through.
        AssertInOrder(world.Plan.Seen, [.. LifeSteps.Provisioning, .. LifeSteps.Consolidation, .. LifeSteps.NodeDeletion]);
    }

    private static async Task<NodeClaim?> ClaimAsync(IKubernetes client, string name)
    {
        try
        {
            return await client.CustomObjects.GetClusterCustomObjectAsync<NodeClaim>(NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string? Condition(NodeClaim? claim, string type) => claim?.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    /// <summary>Each of <paramref name="expected"/> occurs in <paramref name="seen"/>, in this order (other steps may come between).</summary>
    internal static void AssertInOrder(IReadOnlyList<string> seen, IReadOnlyList<string> expected)
    {
        var at = 0;
        foreach (var step in expected)
        {
            while (at < seen.Count && seen[at] != step)
            {
                at++;
            }

            Assert.True(at < seen.Count, $"step \"{step}\" not seen in order; seen: {string.Join(", ", seen)}");
            at++;
        }
    }
}
