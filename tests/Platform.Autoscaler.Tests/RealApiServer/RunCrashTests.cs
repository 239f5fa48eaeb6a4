using k8s;
using Platform.Autoscaler.Tests.RealApiServer.Host;
using Platform.Infra.Blueprint.Autoscaler;
using Xunit.Abstractions;

namespace Platform.Autoscaler.Tests.RealApiServer;

/// <summary>
/// The service binary killed (SIGKILL) right after each step of two nodes' lives has landed in the real API server
/// or in moto, and started again each time, as Kubernetes restarts a crashed container (once as a new pod, which must
/// wait for the dead one's Lease to expire). The first node is bought for a pod and consolidated once the pod is
/// deleted; the second is bought for another pod and ended by <c>kubectl delete node</c>. Whatever state each kill
/// leaves, the next process carries on from it: never a second NodeClaim or instance for one pod, every instance
/// terminated in the end, nothing left behind, and no request of the service refused.
/// </summary>
public sealed class RunCrashTests(ITestOutputHelper output)
{
    [RealHostFact]
    public async Task Run_KilledAfterEveryStepOfTwoNodeLives_NoDuplicateOrOrphanedInstance()
    {
        var plan = new CrashPlan([.. LifeSteps.Provisioning, .. LifeSteps.Consolidation, .. LifeSteps.NodeDeletion]);
        await using var world = await RealHostWorld.StartAsync("run-crashes", plan);
        try
        {
            await LivesAsync(world, plan);
        }
        catch
        {
            output.WriteLine($"killed after: {string.Join(", ", plan.KilledAt)}\nsteps seen: {string.Join(", ", plan.Seen)}");
            output.WriteLine(world.Describe());
            throw;
        }

        output.WriteLine($"{world.Processes.Count} processes; killed after: {string.Join(", ", plan.KilledAt)}");
    }

    private static async Task LivesAsync(RealHostWorld world, CrashPlan plan)
    {
        var client = world.Server.Client;
        var patience = TimeSpan.FromSeconds(240);
        // NotReady longer than a restart takes: a process started while the node is NotReady must not buy another.
        world.Cluster.NotReadyFor = TimeSpan.FromSeconds(8);
        world.StartService("platform-autoscaler-0");
        // The first restart is a new pod, with a new name; the later ones restart the container in that pod.
        await using var restarts = world.RestartWhenKilled(_ => "platform-autoscaler-1");

        // A pending pod, through a kill after each provisioning step, to its node.
        await world.CreatePodAsync("web-0");
        await world.UntilAsync(async () => plan.Next == LifeSteps.Consolidation[0]
            && (await client.CoreV1.ReadNamespacedPodAsync("web-0", world.PodNamespace)).Spec.NodeName is not null, "web-0 bound after a kill at each provisioning step", patience);

        // Its node, empty, consolidated and terminated, through a kill after each step.
        await client.CoreV1.DeleteNamespacedPodAsync("web-0", world.PodNamespace);
        await world.UntilAsync(async () => plan.Next == LifeSteps.NodeDeletion[0] && await GoneAsync(world), "the empty node's end after a kill at each step", patience);

        // A second pod's node, ended by kubectl delete node, through a kill after each step.
        await world.CreatePodAsync("web-1");
        var node = await world.UntilAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("web-1", world.PodNamespace)).Spec.NodeName, "web-1 bound", patience);
        var (exit, said) = world.Server.Kubectl(null, "delete", "node", node, "--wait=false");
        Assert.True(exit == 0, said);
        await world.UntilAsync(async () => plan.Next is null && await GoneAsync(world), "the deleted node's end after a kill at each step", patience);

        Assert.Equal(plan.Steps, plan.KilledAt);
        Assert.Equal(plan.Steps.Count + 1, world.Processes.Count);
        Assert.All(world.Processes.SkipLast(1), p => Assert.True(p.WasKilled, $"{p.Name} ended by itself: {p.Tail()}"));
        Assert.False(world.Processes[^1].HasExited, "the last process did not keep running");

        // One NodeClaim and one instance per pod, never two at once; both instances terminated; nothing left.
        var instances = await world.Cluster.InstancesAsync();
        Assert.Equal(2, instances.Count);
        Assert.DoesNotContain(instances, ClusterStandIn.Running);
        Assert.Equal((1, 1), (world.Cluster.MostLiveNodeClaims, world.Cluster.MostLiveInstances));
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(world.PodNamespace)).Items);

        // The replacement pod took the Lease over once the dead holder's expired.
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(AutoscalerManifests.LeaderElectionLease, AutoscalerManifests.Namespace);
        Assert.Equal("platform-autoscaler-1", lease.Spec.HolderIdentity);
        var refused = world.ServiceRequests().Where(r => r.Code is 401 or 403).Select(r => r.ToString()).Distinct().ToList();
        Assert.True(refused.Count == 0, "the API server refused the service: " + string.Join("; ", refused));
    }

    private static async Task<bool> GoneAsync(RealHostWorld world) =>
        (await world.Cluster.NodeClaimsAsync()).Count == 0
        && (await world.Server.Client.CoreV1.ListNodeAsync()).Items.Count == 0
        && !(await world.Cluster.InstancesAsync()).Any(ClusterStandIn.Running);
}
