using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using Platform.Autoscaler.Tests.EndToEnd;
using Platform.Infra.Blueprint.Autoscaler;
using Xunit.Abstractions;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// The ClusterRole and Role the stack deploys, evaluated as the API server's RBAC authorizer evaluates them, against
/// every request the service's Kubernetes adapter sent while it ran a node's whole life on the fake API server:
/// informers' lists and watches, NodeClaims, nodes (registration, drain, finalizer), NodePool and EC2NodeClass status
/// and finalizers, evictions, events and the leader Lease. A verb or resource the code starts using without a rule is
/// a 403 in a real cluster; here it fails this test, naming the request.
/// </summary>
public sealed class RbacCoverageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task EveryRequestOfANodesLife_IsAllowedByTheRbacTheStackDeploys()
    {
        var manifests = AutoscalerManifests.Create(DeployedStack.Settings());
        using var world = new EndToEndWorld { Replicas = 3 };
        using var client = world.Server.Client();
        // The port reads the GPU Operator's ConfigMaps where the stack's Deployment tells it to.
        var env = manifests.Deployment.Spec.Template.Spec.Containers[0].Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        await using var port = new KubernetesClusterPort(client, TimeProvider.System, new ClusterPortOptions
        {
            GpuOperator = new Api.Gpus.GpuOperatorSource(env["GPU_OPERATOR_NAMESPACE"], env["MIG_CONFIG_MAP"], env["DEVICE_PLUGIN_CONFIG_MAP"]),
        });
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await port.StartAsync(timeout.Token);
        }

        var context = new ControllerContext(port, world.Cloud, world.Clock, new ControllerOptions { ClusterName = "e2e", NameSeed = 3 }, new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context, null, new InMemoryNodeClasses(BundledCatalog.Load()));

        async Task RoundsUntilAsync(Func<bool> done, int limit, string what)
        {
            for (var round = 0; !done(); round++)
            {
                Assert.True(round < limit, $"{what} not reached after {limit} rounds");
                world.Step();
                await Poll.UntilAsync(async () => (await port.SnapshotAsync(CancellationToken.None)).Nodes.Count == world.Nodes.Count, () => "the informers lag");
                await controllers.RunOnceAsync(CancellationToken.None);
                world.Clock.Advance(Tick);
            }
        }

        bool Running(int replicas) => world.LivePods() is { } pods && pods.Count == replicas && pods.All(p => p.Status?.Phase == "Running");

        // Scale up, lose a node to kubectl, scale down, then delete the class and everything of it.
        await RoundsUntilAsync(() => Running(3), 40, "three pods running");
        var node = world.Nodes.First(n => world.LivePods().Any(p => p.Spec.NodeName == n.Metadata.Name));
        world.Server.Store.Delete(FakeResource.Nodes, null, node.Metadata.Name);
        await RoundsUntilAsync(() => world.Nodes.All(n => n.Metadata.Name != node.Metadata.Name) && Running(3), 60, "the deleted node's replacement");
        world.Replicas = 0;
        world.Server.Store.Delete(FakeResource.NodeClasses, null, "default");
        foreach (var claim in world.NodeClaims)
        {
            world.Server.Store.Delete(FakeResource.NodeClaims, null, claim.Metadata.Name);
        }

        await RoundsUntilAsync(() => world.Server.Store.Items(FakeResource.NodeClasses).Count == 0, 60, "the class's release");

        // One term as leader, on the Lease the stack names.
        var election = new LeaseElection(client, new LeaseElectionSettings
        {
            LeaseName = AutoscalerManifests.LeaderElectionLease, LeaseNamespace = AutoscalerManifests.Namespace, Identity = "replica-a",
        }, TimeProvider.System);
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await election.RunAsync(async _ => await stop.CancelAsync(), stop.Token);
        }

        var requests = world.Server.Requests.Where(r => FakeRoute.Parse(r.Path) is not null).ToList();
        output.WriteLine(string.Join("\n", requests.Select(Describe).Distinct().Order(StringComparer.Ordinal)));
        var denied = requests.Where(r => !Allowed(r, manifests.ClusterRole, manifests.Role, manifests.GpuOperatorRole)).Select(Describe).Distinct().ToList();
        Assert.True(denied.Count == 0, "the stack's RBAC denies: " + string.Join("; ", denied));
        // The requests this covers, so a change that stops sending them shows here.
        var seen = requests.Select(Describe).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "patch nodes", "delete nodes", "patch karpenter.sh/nodepools/status", "patch karpenter.k8s.aws/ec2nodeclasses",
            "patch karpenter.sh/nodeclaims/status", "create pods/eviction", "create events", "create coordination.k8s.io/leases",
            "list configmaps", "watch configmaps",
        }, seen);
    }

    /// <summary>The request as RBAC reads it: verb, group/resource[/subresource].</summary>
    private static string Describe(RecordedRequest request)
    {
        var (verb, group, resource, _, _) = Attributes(request);
        return $"{verb} {(group.Length == 0 ? "" : group + "/")}{resource}";
    }

    private static (string Verb, string Group, string Resource, string? Namespace, string? Name) Attributes(RecordedRequest request)
    {
        var route = FakeRoute.Parse(request.Path)!;
        var verb = request.Method switch
        {
            "GET" when request.IsWatch => "watch",
            "GET" => route.Name is null ? "list" : "get",
            "POST" when route.Subresource is not null => "create",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => route.Name is null ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        var resource = route.Subresource is null ? route.Resource.Plural : $"{route.Resource.Plural}/{route.Subresource}";
        return (verb, route.Resource.Group, resource, route.Namespace, route.Name);
    }

    /// <summary>The RBAC authorizer's rule match: any rule of the ClusterRole, or of the Role in its own namespace.</summary>
    private static bool Allowed(RecordedRequest request, V1ClusterRole clusterRole, params V1Role[] roles)
    {
        var (verb, group, resource, ns, name) = Attributes(request);
        bool Matches(V1PolicyRule rule) =>
            rule.ApiGroups.Contains(group) && rule.Resources.Contains(resource) && rule.Verbs.Contains(verb)
            && (rule.ResourceNames is not { Count: > 0 } names || (name is not null && names.Contains(name)));
        return clusterRole.Rules.Any(Matches) || roles.Any(role => ns == role.Metadata.NamespaceProperty && role.Rules.Any(Matches));
    }
}
