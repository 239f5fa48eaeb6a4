using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// The parity rules as the service reads the cluster (<see cref="ClusterView"/>) and acts on it (the provisioner):
/// Karpenter's tests named after the test they come from (kubernetes-sigs/karpenter, pkg/...), and the service's own.
/// </summary>
public sealed class KarpenterParityServiceTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();
    private static readonly IReadOnlySet<(string, string, string)> NoneUnavailable = new HashSet<(string, string, string)>();

    private static ClusterView View(ClusterSnapshot snapshot) => ClusterView.Build(snapshot, Catalog, new ResolvedTypes(), NoneUnavailable);

    private static Plan Solve(ClusterView view) =>
        Scheduler.Solve(new SchedulingInput(view.Provisionable, view.SchedulingNodes, view.Pools, NamespaceLabels: view.NamespaceLabels));

    private static ClusterSnapshot Snapshot(IReadOnlyList<V1Pod>? pods = null, IReadOnlyList<V1Node>? nodes = null, IReadOnlyList<NodeClaim>? claims = null,
        NodePool? pool = null, IReadOnlyList<V1DaemonSet>? daemonSets = null) =>
        new(pods ?? [], nodes ?? [], claims ?? [], [pool ?? Pool("default", "default")], [NodeClass("default")], [], daemonSets ?? []);

    private static V1ResourceRequirements Limits(string cpu, string memory) =>
        new() { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } };

    private static V1DaemonSet DaemonSet(V1ResourceRequirements resources) => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "kube-system" },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Resources = resources }] } },
        },
    };

    // provisioning/suite_test.go, Context "Daemonsets": limits stand in for the requests a DaemonSet template leaves out.
    [Fact]
    public void ShouldNotScheduleIfResourceRequestsAreNotDefinedAndLimitsRequestsAreTooLarge()
    {
        var view = View(Snapshot(pods: [Pod("app", cpu: "100m", memory: "128Mi")], daemonSets: [DaemonSet(Limits("10000", "10000Gi"))]));
        Assert.Equal(10_000_000, view.Pools.Single().DaemonOverhead["cpu"]);
        var plan = Solve(view);
        Assert.Empty(plan.NodeClaims);
        Assert.Single(plan.Unplaced);
    }

    // provisioning/suite_test.go, Context "Resource Limits": a NodeClaim counts its capacity toward the limit.
    [Fact]
    public void ShouldNotScheduleWhenLimitsAreExceeded()
    {
        var unlimited = Pool("default", "default");
        var pool = unlimited with { Spec = unlimited.Spec! with { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("20") } } };
        var claim = new NodeClaim
        {
            Metadata = new V1ObjectMeta { Name = "default-abc", Labels = new Dictionary<string, string> { [WellKnownLabels.NodePool] = "default" } },
            Spec = new NodeClaimSpec
            {
                NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "default" },
                Requirements = [new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.Zone, Operator = Operators.In, Values = ["us-east-1a"] }],
            },
            Status = new NodeClaimStatus
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100") },
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("15"), ["memory"] = new("60Gi"), ["pods"] = new("110") },
            },
        };
        var pod = Pod("app", cpu: "100m", memory: "128Mi");
        pod.Spec.NodeSelector = new Dictionary<string, string> { [WellKnownLabels.Zone] = "us-east-1b" };
        var view = View(Snapshot(pods: [pod], claims: [claim], pool: pool));
        Assert.Equal(100_000, view.Pools.Single().Usage["cpu"]);
        var plan = Solve(view);
        Assert.Empty(plan.NodeClaims);
        Assert.Contains(Assert.Single(plan.Unplaced).Reasons, r => r.StartsWith("default: would exceed limit cpu: limit 20, in use 100", StringComparison.Ordinal));
    }

    // scheduling/topology_test.go, Context "Zonal": the service leaves Succeeded and Failed pods off their nodes, so
    // they count in no spread or affinity.
    [Fact]
    public void ShouldOnlyCountRunningScheduledPodsWithMatchingLabelsScheduledToNodesWithACorrespondingDomain()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "first", Labels = new Dictionary<string, string> { [WellKnownLabels.Zone] = "us-east-1a" } },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus
            {
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("16Gi"), ["pods"] = new("10") },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
            },
        };
        V1Pod Bound(string name, string phase)
        {
            var pod = Pod(name);
            pod.Metadata.Labels = new Dictionary<string, string> { ["test"] = "test" };
            pod.Spec.NodeName = "first";
            pod.Status.Phase = phase;
            return pod;
        }

        var view = View(Snapshot(pods: [Bound("running", "Running"), Bound("failed", "Failed"), Bound("succeeded", "Succeeded")], nodes: [node]));
        Assert.Equal(["running"], view.SchedulingNodes.Single().Pods.Select(p => p.Name));
    }

    // provisioning/dra_test.go, Context "Enablement gating (N)"
    [Fact]
    public async Task ShouldRejectDraPodsWithADraErrorWhenIgnoreDraRequestsIsEnabled()
    {
        var (cluster, controllers, clock) = Service();
        var pod = Pod("dra");
        pod.Spec.ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = "gpu-claim" }];
        cluster.Apply(pod);
        await RunAsync(controllers, clock, TimeSpan.FromSeconds(5));
        Assert.Empty(cluster.Snapshot().NodeClaims);
        var failed = Assert.Single(cluster.Events, e => e.Reason == "FailedScheduling" && e.Name == "dra");
        Assert.Contains("spec.resourceClaims: dynamic resource allocation is not supported", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provisioner_PodWithAHostPort_PlannedWithOneWarningEventNamingTheField()
    {
        var (cluster, controllers, clock) = Service();
        var pod = Pod("web");
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 8080 }];
        cluster.Apply(pod);
        await RunAsync(controllers, clock, TimeSpan.FromSeconds(40));
        Assert.Single(cluster.Snapshot().NodeClaims);
        var warning = Assert.Single(cluster.Events, e => e.Reason == "UnsupportedConstraints");
        Assert.Equal(("web", "Warning"), (warning.Name, warning.Type));
        Assert.Contains("spec.containers[0].ports[0].hostPort: host port conflicts between pods on a node are not checked", warning.Message, StringComparison.Ordinal);
    }

    // The namespace labels the service watches reach the solver: a namespaceSelector on them is honoured.
    [Theory]
    [InlineData("b", true)]
    [InlineData("a", false)]
    public async Task Provisioner_NamespaceSelectorOnNamespaceLabels_MatchesTheWatchedNamespaces(string team, bool together)
    {
        var (cluster, controllers, clock) = Service();
        cluster.Apply(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-b", Labels = new Dictionary<string, string> { ["team"] = "b" } } });
        var target = Pod("target", cpu: "100m", memory: "128Mi");
        target.Metadata.NamespaceProperty = "team-b";
        target.Metadata.Labels = new Dictionary<string, string> { ["security"] = "s2" };
        var follower = Pod("follower", cpu: "100m", memory: "128Mi");
        follower.Spec.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        TopologyKey = WellKnownLabels.Hostname,
                        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["security"] = "s2" } },
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = team } },
                    },
                ],
            },
        };
        cluster.Apply(target);
        cluster.Apply(follower);
        await RunAsync(controllers, clock, TimeSpan.FromSeconds(5));
        var nominated = cluster.Events.Where(e => e.Reason == "Nominated").GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Last().Message);
        Assert.Equal(together, nominated.ContainsKey("follower"));
        if (together)
        {
            Assert.Equal(nominated["target"], nominated["follower"]);
        }
    }

    [Fact]
    public void ClusterView_GatedPod_IsNotProvisionable()
    {
        var gated = Pod("gated");
        gated.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/wait" }];
        var view = View(Snapshot(pods: [gated, Pod("open")]));
        Assert.Equal(["default/open"], view.ProvisionablePods.Keys);
    }

    private static (InMemoryCluster Cluster, AutoscalerControllers Controllers, VirtualClock Clock) Service()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var context = new ControllerContext(cluster, new InMemoryCloud(Catalog, clock), clock, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance);
        cluster.Apply(NodeClass("default"));
        cluster.Apply(Pool("default", "default"));
        return (cluster, new AutoscalerControllers(context), clock);
    }

    private static async Task RunAsync(AutoscalerControllers controllers, VirtualClock clock, TimeSpan duration)
    {
        for (var end = clock.GetUtcNow() + duration; clock.GetUtcNow() < end; clock.Advance(TimeSpan.FromSeconds(1)))
        {
            await controllers.RunOnceAsync(CancellationToken.None);
        }
    }
}
