using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// The EC2NodeClass status controller: what it writes and when, what a class that is not Ready does to planning,
/// and that pools are planned only in the zones of their class's subnets.
/// </summary>
public sealed class NodeClassStatusControllerTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reconcile_ResolvedClass_WritesReadyStampedWithGeneration_ThenNothingWhileUnchanged()
    {
        var world = new World();
        world.Cluster.Apply(NodeClass("default", generation: 3));

        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        var status = world.Cluster.Snapshot().NodeClasses.Single().Status!;
        Assert.Equal(["subnet-us-east-1a", "subnet-us-east-1b"], status.Subnets!.Select(s => s.Id));
        Assert.Equal([.. NodeClassConditions.Dependents, NodeClassConditions.Ready], status.Conditions!.Select(c => c.Type));
        Assert.All(status.Conditions!, c => Assert.Equal(("True", 3L, Start.UtcDateTime), (c.Status!, c.ObservedGeneration!.Value, c.LastTransitionTime!.Value)));
        var ready = Assert.Single(world.Cluster.Events);
        Assert.Equal(("Normal", "NodeClassReady", "default"), (ready.Type, ready.Reason, ready.Name));
        Assert.Equal(1, world.Metrics.NodeClassReady.WithLabels("default").Value);

        var before = world.Cluster.Snapshot();
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        // The in-memory cluster hands out the same snapshot until something is written.
        Assert.Same(before, world.Cluster.Snapshot());
        Assert.Single(world.Cluster.Events);
    }

    [Fact]
    public async Task Reconcile_InformerHasNotSeenOurWriteYet_NoSecondWriteNorEvent()
    {
        var world = new World();
        world.Cluster.Apply(NodeClass("default"));
        var lagging = new LaggingCluster(world.Cluster);
        var controller = new NodeClassStatusController(
            new ControllerContext(lagging, world.Cloud, world.Clock, new ControllerOptions(), world.Metrics, NullLogger.Instance), world.Provider);

        lagging.Freeze();
        await controller.ReconcileAsync(CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        await controller.ReconcileAsync(CancellationToken.None);

        Assert.Equal(1, lagging.StatusWrites);
        Assert.Single(world.Cluster.Events, e => e.Reason == "NodeClassReady");
        Assert.All(world.Cluster.Snapshot().NodeClasses.Single().Status!.Conditions!, c => Assert.Equal(Start.UtcDateTime, c.LastTransitionTime));
    }

    [Fact]
    public async Task Reconcile_SubnetsStopMatching_ReadyFalseNamingTheField_OnlyChangedConditionsMoveTheirTime()
    {
        var world = new World();
        world.Cluster.Apply(NodeClass("default"));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        world.Clock.Advance(TimeSpan.FromMinutes(5));
        world.Provider.Override["default"] = status => status with { Subnets = [] };
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        var conditions = world.Cluster.Snapshot().NodeClasses.Single().Status!.Conditions!.ToDictionary(c => c.Type!);
        Assert.Equal(("False", "SubnetsNotFound", (Start + TimeSpan.FromMinutes(5)).UtcDateTime),
            (conditions["SubnetsReady"].Status!, conditions["SubnetsReady"].Reason!, conditions["SubnetsReady"].LastTransitionTime!.Value));
        Assert.Equal(("True", Start.UtcDateTime), (conditions["SecurityGroupsReady"].Status!, conditions["SecurityGroupsReady"].LastTransitionTime!.Value));
        Assert.Equal(("False", "UnhealthyDependents"), (conditions["Ready"].Status!, conditions["Ready"].Reason!));
        Assert.Equal("SubnetsReady=False: spec.subnetSelectorTerms matched no subnet", conditions["Ready"].Message);
        var warning = world.Cluster.Events.Last();
        Assert.Equal(("Warning", "NodeClassNotReady", EC2NodeClass.KindName), (warning.Type, warning.Reason, warning.Kind));
        Assert.Contains("spec.subnetSelectorTerms", warning.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Metrics.NodeClassReady.WithLabels("default").Value);
        Assert.True(NodeClassConditions.IsNotReady(world.Cluster.Snapshot().NodeClasses.Single()));
    }

    [Fact]
    public async Task Reconcile_DeletedClassWithNodeClaims_WaitsForThemToGo_ThenLetsTheClassGo()
    {
        var world = new World();
        world.Cluster.Apply(NodeClass("default"));
        world.Cluster.Apply(Pool("default", "default"));
        world.Cluster.Apply(Pod("web"));
        await world.RunUntilLaunchedAsync();
        Assert.Equal([WellKnownAnnotations.NodeClassTerminationFinalizer], world.Cluster.Snapshot().NodeClasses.Single().Metadata.Finalizers);
        var claim = world.Cluster.Snapshot().NodeClaims.Single().Metadata.Name;

        world.Cluster.DeleteNodeClass("default");
        for (var second = 0; second < 30; second++)
        {
            await world.Controllers.RunOnceAsync(CancellationToken.None);
            world.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.NotNull(Assert.Single(world.Cluster.Snapshot().NodeClasses).Metadata.DeletionTimestamp);
        var waiting = Assert.Single(world.Cluster.Events, e => e.Reason == "WaitingOnNodeClaimTermination");
        Assert.Equal(("Normal", EC2NodeClass.KindName, "default", $"Waiting on NodeClaim termination for {claim}"), (waiting.Type, waiting.Kind, waiting.Name, waiting.Message));
        var pool = world.Cluster.Snapshot().NodePools.Single().Status!.Conditions!.Single(c => c.Type == "NodeClassReady");
        Assert.Equal(("False", "NodeClassTerminating"), (pool.Status, pool.Reason));

        var cleanups = world.Provider.Cleanups;
        await world.Cluster.DeleteNodeClaimAsync(claim, CancellationToken.None);
        await world.RunUntilAsync(() => world.Cluster.Snapshot().NodeClasses.Count == 0);
        Assert.Empty(world.Cluster.Snapshot().NodeClaims);
        Assert.All(world.Cloud.All, instance => Assert.False(instance.Running));
        // Its launch templates went with it: a cleanup that no longer counts it among the classes in use.
        Assert.Equal(cleanups + 1, world.Provider.Cleanups);
        Assert.Empty(world.Provider.LastCleanupClasses);
    }

    [Fact]
    public async Task Reconcile_TwoClassesGoInThePassTheCleanupIsDue_TemplatesLookedAtOnce()
    {
        var world = new World(new ControllerOptions { LaunchTemplateCleanupInterval = TimeSpan.FromMinutes(30) });
        world.Cluster.Apply(NodeClass("a"));
        world.Cluster.Apply(NodeClass("b"));
        world.Cluster.Apply(NodeClass("c"));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(1, world.Provider.Cleanups);

        world.Clock.Advance(TimeSpan.FromHours(1));
        world.Cluster.DeleteNodeClass("a");
        world.Cluster.DeleteNodeClass("b");
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        // Both finalizers go, and one look at the templates, with the class still in use, serves both and the periodic clean-up.
        Assert.Equal(["c"], world.Cluster.Snapshot().NodeClasses.Select(c => c.Metadata.Name));
        Assert.Equal(2, world.Provider.Cleanups);
        Assert.Equal(["c"], world.Provider.LastCleanupClasses);

        // It counted as the periodic one: the next is an interval later.
        world.Clock.Advance(TimeSpan.FromMinutes(29));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(2, world.Provider.Cleanups);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(3, world.Provider.Cleanups);
    }

    [Fact]
    public void IsNotReady_FalseForAnOlderGeneration_IsNotHeldAgainstTheEditedClass()
    {
        var nodeClass = NodeClass("default", generation: 2);
        nodeClass.Status = new EC2NodeClassStatus
        {
            Conditions = [new Condition { Type = "Ready", Status = "False", ObservedGeneration = 1, Reason = "UnhealthyDependents", Message = "" }],
        };
        Assert.False(NodeClassConditions.IsNotReady(nodeClass));
        nodeClass.Metadata.Generation = 1;
        Assert.True(NodeClassConditions.IsNotReady(nodeClass));
    }

    [Fact]
    public async Task Reconcile_CloudError_KeepsTheStatus_AndHoldsTemplateCleanupUntilEveryClassResolves()
    {
        var world = new World(new ControllerOptions { LaunchTemplateCleanupInterval = TimeSpan.FromMinutes(30) });
        world.Cluster.Apply(NodeClass("a"));
        world.Cluster.Apply(NodeClass("b"));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(1, world.Provider.Cleanups);
        var written = world.Cluster.Snapshot();

        world.Clock.Advance(TimeSpan.FromHours(1));
        world.Provider.Failing.Add("b");
        world.Provider.Override["a"] = status => status with { Amis = [] };
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);

        // a's change is written; b keeps what it had; no cleanup could know b's templates.
        var classes = world.Cluster.Snapshot().NodeClasses.ToDictionary(c => c.Metadata.Name);
        Assert.True(NodeClassConditions.IsNotReady(classes["a"]));
        Assert.Same(written.NodeClasses.Single(c => c.Metadata.Name == "b").Status, classes["b"].Status);
        Assert.Equal(1, world.Provider.Cleanups);

        world.Provider.Failing.Clear();
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(2, world.Provider.Cleanups);
        Assert.Equal(["a", "b"], world.Provider.LastCleanupClasses);
        Assert.Contains("karpenter_ec2nodeclass_ready{nodeclass=\"b\"} 1", await world.Metrics.ExportAsync(CancellationToken.None), StringComparison.Ordinal);

        // A class being deleted takes its gauge along and no longer counts as in use.
        var deleting = NodeClass("b");
        deleting.Metadata.DeletionTimestamp = world.Clock.GetUtcNow().UtcDateTime;
        world.Cluster.Apply(deleting);
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.DoesNotContain("nodeclass=\"b\"", await world.Metrics.ExportAsync(CancellationToken.None), StringComparison.Ordinal);

        world.Clock.Advance(TimeSpan.FromMinutes(29));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(2, world.Provider.Cleanups);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.NodeClasses.ReconcileAsync(CancellationToken.None);
        Assert.Equal(3, world.Provider.Cleanups);
        Assert.Equal(["a"], world.Provider.LastCleanupClasses);
    }

    [Theory]
    [InlineData("ready", "preferred")]
    [InlineData("not-ready", "fallback")]
    [InlineData("missing", "fallback")]
    [InlineData("deleting", "fallback")]
    [InlineData("gpu-ami-only", "fallback")]
    public async Task Provision_PreferredClassUnusable_PodsGoToTheNextPool(string preferredClass, string expectedPool)
    {
        var world = new World();
        var preferred = NodeClass("preferred-class");
        if (preferredClass == "deleting")
        {
            preferred.Metadata.DeletionTimestamp = Start.UtcDateTime;
            preferred.Metadata.Finalizers = ["karpenter.k8s.aws/termination"];
        }

        if (preferredClass != "missing")
        {
            world.Cluster.Apply(preferred);
        }

        world.Cluster.Apply(NodeClass("fallback-class"));
        world.Cluster.Apply(Pool("preferred", "preferred-class", weight: 100));
        world.Cluster.Apply(Pool("fallback", "fallback-class", weight: 10));
        if (preferredClass == "not-ready")
        {
            world.Provider.Override["preferred-class"] = status => status with { SecurityGroups = [] };
        }
        else if (preferredClass == "gpu-ami-only")
        {
            // Its only AMI is an NVIDIA one: none of the pool's m types can boot it.
            world.Provider.Override["preferred-class"] = status => status with
            {
                Amis = [new ResolvedAmi { Id = "ami-0nvidia", Requirements = [new() { Key = WellKnownLabels.InstanceGpuCount, Operator = Operators.Exists }] }],
            };
        }

        world.Cluster.Apply(Pod("web"));
        await world.RunUntilLaunchedAsync();

        var claim = Assert.Single(world.Cluster.Snapshot().NodeClaims);
        Assert.Equal(expectedPool, claim.Metadata.Labels![WellKnownLabels.NodePool]);
        Assert.DoesNotContain(world.Cluster.Events, e => e.Reason is "NodeClassNotReady" or "LaunchFailed" && e.Kind == NodeClaim.KindName);
    }

    [Fact]
    public async Task Launch_CloudSaysClassNotReady_ClaimDeleted_ThenThePodsGoToTheNextPoolOnceTheStatusSaysSo()
    {
        var world = new World(refuseClass: "preferred-class");
        world.Cluster.Apply(NodeClass("preferred-class"));
        world.Cluster.Apply(NodeClass("fallback-class"));
        world.Cluster.Apply(Pool("preferred", "preferred-class", weight: 100));
        world.Cluster.Apply(Pool("fallback", "fallback-class", weight: 10));
        world.Cluster.Apply(Pod("web"));

        // The status still says Ready (resolved before the selectors broke): the launch is refused and the claim goes.
        await world.RunUntilAsync(() => world.Cluster.Events.Any(e => e.Reason == "NodeClassNotReady" && e.Kind == NodeClaim.KindName));
        Assert.Empty(world.Cloud.All);
        Assert.Contains(world.Cluster.Events, e => e.Reason == "NodeClassNotReady" && e.Message.Contains("spec.subnetSelectorTerms", StringComparison.Ordinal));

        world.Provider.Override["preferred-class"] = status => status with { Subnets = [] };
        await world.RunUntilLaunchedAsync();

        var instance = Assert.Single(world.Cloud.All);
        var claim = Assert.Single(world.Cluster.Snapshot().NodeClaims, c => c.Status?.ProviderID == instance.ProviderId);
        Assert.Equal("fallback", claim.Metadata.Labels![WellKnownLabels.NodePool]);
    }

    [Theory]
    [InlineData("us-east-1a")]
    [InlineData("us-east-1b")]
    public async Task Provision_ClassSubnetsInOneZone_LaunchesOnlyInThatZone(string zone)
    {
        var world = new World(zones: [zone]);
        world.Cluster.Apply(NodeClass("default"));
        world.Cluster.Apply(Pool("default", "default"));
        for (var i = 0; i < 3; i++)
        {
            world.Cluster.Apply(Pod($"web-{i}"));
        }

        await world.RunUntilLaunchedAsync();

        Assert.NotEmpty(world.Cloud.All);
        Assert.All(world.Cloud.All, instance => Assert.Equal(zone, instance.Zone));
    }

    /// <summary>The in-memory cluster and cloud with the controllers, the node class provider scripted per class.</summary>
    private sealed class World
    {
        public World(ControllerOptions? options = null, IReadOnlyCollection<string>? zones = null, string? refuseClass = null)
        {
            Clock = new VirtualClock(Start);
            Cluster = new InMemoryCluster(Clock);
            Cloud = new InMemoryCloud(Catalog, Clock);
            Provider = new ScriptedNodeClasses(new InMemoryNodeClasses(Catalog, zones ?? ["us-east-1a", "us-east-1b"]));
            // A launch for the refused class fails as EC2's would with its selectors broken.
            ICloudProvider cloud = refuseClass is null ? Cloud : new RefusingCloud(Cloud, attempt => attempt.NodeClass == refuseClass
                ? new NodeClassNotReadyException(refuseClass, ["SubnetsReady: spec.subnetSelectorTerms matched no subnet"])
                : null);
            var context = new ControllerContext(Cluster, cloud, Clock, options ?? new ControllerOptions(), Metrics, NullLogger.Instance);
            Controllers = new AutoscalerControllers(context, null, Provider);
        }

        public VirtualClock Clock { get; }

        public InMemoryCluster Cluster { get; }

        public InMemoryCloud Cloud { get; }

        public ScriptedNodeClasses Provider { get; }

        public AutoscalerMetrics Metrics { get; } = new();

        public AutoscalerControllers Controllers { get; }

        public NodeClassStatusController NodeClasses => Controllers.NodeClasses!;

        /// <summary>Runs every controller a second at a time until an instance runs.</summary>
        public Task RunUntilLaunchedAsync() => RunUntilAsync(() => Cloud.All.Count > 0);

        /// <summary>Runs every controller a second at a time until <paramref name="done"/>; fails after a simulated minute.</summary>
        public async Task RunUntilAsync(Func<bool> done)
        {
            for (var second = 0; !done(); second++)
            {
                Assert.True(second < 60, "nothing happened within a simulated minute");
                await Controllers.RunOnceAsync(CancellationToken.None);
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Resolves through the in-memory provider, then applies a class's override or fails it; counts cleanups.</summary>
    private sealed class ScriptedNodeClasses(INodeClassProvider inner) : INodeClassProvider
    {
        public Dictionary<string, Func<EC2NodeClassStatus, EC2NodeClassStatus>> Override { get; } = [];

        public HashSet<string> Failing { get; } = [];

        public int Cleanups { get; private set; }

        public IReadOnlyList<string> LastCleanupClasses { get; private set; } = [];

        public async Task<EC2NodeClassStatus> ResolveAsync(EC2NodeClass nodeClass, CancellationToken cancellationToken)
        {
            if (Failing.Contains(nodeClass.Metadata.Name))
            {
                throw new HttpRequestException("RequestLimitExceeded after retries");
            }

            var status = await inner.ResolveAsync(nodeClass, cancellationToken);
            return Override.TryGetValue(nodeClass.Metadata.Name, out var change) ? NodeClassConditions.WithDependents(change(status) with { Conditions = null }) : status;
        }

        public Task<IReadOnlyList<string>> DeleteUnusedAsync(IReadOnlyList<EC2NodeClass> nodeClasses, CancellationToken cancellationToken)
        {
            Cleanups++;
            LastCleanupClasses = [.. nodeClasses.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal)];
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
    }

    /// <summary>The in-memory cluster seen through an informer that stopped updating: snapshots stay as they were when frozen.</summary>
    private sealed class LaggingCluster(InMemoryCluster inner) : IClusterPort
    {
        private ClusterSnapshot? frozen;

        public int StatusWrites { get; private set; }

        public void Freeze() => frozen = inner.Snapshot();

        public Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken) => frozen is null ? inner.SnapshotAsync(cancellationToken) : Task.FromResult(frozen);

        public Task UpdateNodeClassStatusAsync(string name, EC2NodeClassStatus status, CancellationToken cancellationToken)
        {
            StatusWrites++;
            return inner.UpdateNodeClassStatusAsync(name, status, cancellationToken);
        }

        public Task UpdateNodeClassFinalizersAsync(string name, IList<string> finalizers, CancellationToken cancellationToken) =>
            inner.UpdateNodeClassFinalizersAsync(name, finalizers, cancellationToken);

        public Task UpdateNodePoolStatusAsync(string name, NodePoolStatus status, CancellationToken cancellationToken) => inner.UpdateNodePoolStatusAsync(name, status, cancellationToken);

        public Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken) => inner.CreateNodeClaimAsync(claim, cancellationToken);

        public Task UpdateNodeClaimMetadataAsync(string name, IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken) =>
            inner.UpdateNodeClaimMetadataAsync(name, labels, annotations, finalizers, cancellationToken);

        public Task UpdateNodeClaimStatusAsync(string name, NodeClaimStatus status, CancellationToken cancellationToken) => inner.UpdateNodeClaimStatusAsync(name, status, cancellationToken);

        public Task DeleteNodeClaimAsync(string name, CancellationToken cancellationToken) => inner.DeleteNodeClaimAsync(name, cancellationToken);

        public Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken) => inner.PatchNodeAsync(name, patch, cancellationToken);

        public Task DeleteNodeAsync(string name, CancellationToken cancellationToken) => inner.DeleteNodeAsync(name, cancellationToken);

        public Task<EvictionOutcome> EvictAsync(string ns, string name, CancellationToken cancellationToken) => inner.EvictAsync(ns, name, cancellationToken);

        public Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken) => inner.DeletePodAsync(ns, name, cancellationToken);

        public Task RecordEventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken) => inner.RecordEventAsync(clusterEvent, cancellationToken);
    }
}
