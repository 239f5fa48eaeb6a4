using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// NodePool status as Karpenter writes it for <c>kubectl get nodepools</c>: nodes and resources of its NodeClaims,
/// and the conditions ValidationSucceeded, NodeClassReady and Ready over them.
/// </summary>
public sealed class NodePoolStatusControllerTests
{
    private static NodePool MPool() =>
        Pool("default", "default", null, new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] });

    private static NodePool Status(LifecycleWorld world, string name = "default") => world.Cluster.Snapshot().NodePools.Single(p => p.Metadata.Name == name);

    private static Dictionary<string, Condition> Conditions(NodePool pool) => pool.Status!.Conditions!.ToDictionary(c => c.Type!, StringComparer.Ordinal);

    [Fact]
    public async Task Reconcile_PoolWithALaunchedClaim_CountsItsNodeAndCapacity_Ready()
    {
        var world = new LifecycleWorld();
        world.Cluster.Apply(NodeClass("default"));
        var pool = MPool();
        pool.Metadata.Generation = 4;
        world.Cluster.Apply(pool);

        await world.RunAsync(TimeSpan.FromSeconds(1));
        var empty = Status(world).Status!;
        Assert.Equal(0, empty.Nodes);
        Assert.Equal(["cpu", "ephemeral-storage", "memory", "nodes", "pods"], empty.Resources!.Keys.Order(StringComparer.Ordinal));
        Assert.All(empty.Resources.Values, q => Assert.Equal(0m, q.ToDecimal()));
        var conditions = Conditions(Status(world));
        Assert.Equal(["NodeClassReady", "Ready", "ValidationSucceeded"], conditions.Keys.Order(StringComparer.Ordinal));
        Assert.All(conditions.Values, c => Assert.Equal(("True", 4L, LifecycleWorld.Start.UtcDateTime), (c.Status!, c.ObservedGeneration!.Value, c.LastTransitionTime!.Value)));

        world.Cluster.Apply(Pod("web"));
        await world.RunUntilAsync(() => Status(world).Status!.Nodes == 1, TimeSpan.FromSeconds(30), "the launched node's count");

        var status = Status(world).Status!;
        var capacity = world.Claims.Single().Status!.Capacity!;
        Assert.Equal(2m, status.Resources!["cpu"].ToDecimal()); // m5.large: 2 vCPU
        Assert.Equal(capacity["memory"].ToDecimal(), status.Resources["memory"].ToDecimal());
        Assert.Equal(capacity["pods"].ToDecimal(), status.Resources["pods"].ToDecimal());
        Assert.Equal(1m, status.Resources["nodes"].ToDecimal());
        // The conditions held: their transition times did not move.
        Assert.All(Conditions(Status(world)).Values, c => Assert.Equal(LifecycleWorld.Start.UtcDateTime, c.LastTransitionTime));

        // A claim being deleted no longer counts.
        await world.Cluster.DeleteNodeClaimAsync(world.Claims.Single().Metadata.Name, CancellationToken.None);
        await world.RunUntilAsync(() => Status(world).Status!.Nodes == 0, TimeSpan.FromSeconds(10), "the deleted claim's discount");
    }

    [Fact]
    public async Task Reconcile_ClassMissingThenNotReady_NodeClassReadyFalseWithKarpentersReasons()
    {
        var world = new LifecycleWorld();
        world.Cluster.Apply(MPool());
        await world.RunAsync(TimeSpan.FromSeconds(1));
        var missing = Conditions(Status(world));
        Assert.Equal(("False", "NodeClassNotFound", "NodeClass not found on cluster"), (missing["NodeClassReady"].Status, missing["NodeClassReady"].Reason, missing["NodeClassReady"].Message));
        Assert.Equal(("False", "NodeClassNotFound"), (missing["Ready"].Status, missing["Ready"].Reason));
        Assert.Equal("True", missing["ValidationSucceeded"].Status);

        var notReady = NodeClass("default");
        notReady.Status = new EC2NodeClassStatus
        {
            Conditions = [new Condition { Type = "Ready", Status = "False", Reason = "UnhealthyDependents", Message = "SubnetsReady=False: spec.subnetSelectorTerms matched no subnet" }],
        };
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        world.Cluster.Apply(notReady);
        // Only the pool status controller runs: the class's status stays as written.
        await new NodePoolStatusController(world.Context).ReconcileAsync(CancellationToken.None);

        var conditions = Conditions(Status(world));
        Assert.Equal(("False", "UnhealthyDependents", "SubnetsReady=False: spec.subnetSelectorTerms matched no subnet"),
            (conditions["NodeClassReady"].Status, conditions["NodeClassReady"].Reason, conditions["NodeClassReady"].Message));
        // Still False, so its transition time holds.
        Assert.Equal(LifecycleWorld.Start.UtcDateTime, conditions["NodeClassReady"].LastTransitionTime);
    }

    [Fact]
    public async Task Reconcile_PoolBreakingARule_ValidationFailedNamingTheField_AndThePoolIsNotPlanned()
    {
        var world = new LifecycleWorld();
        world.Cluster.Apply(NodeClass("default"));
        var pool = MPool();
        pool.Spec = pool.Spec! with
        {
            Template = pool.Spec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "other" } } },
        };
        world.Cluster.Apply(pool);
        world.Cluster.Apply(Pod("web"));

        await world.RunAsync(TimeSpan.FromSeconds(20));

        var conditions = Conditions(Status(world));
        Assert.Equal(("False", "NodePoolValidationFailed"), (conditions["ValidationSucceeded"].Status, conditions["ValidationSucceeded"].Reason));
        Assert.StartsWith("spec.template.metadata.labels[karpenter.sh/nodepool]", conditions["ValidationSucceeded"].Message, StringComparison.Ordinal);
        Assert.Equal(("False", "NodePoolValidationFailed"), (conditions["Ready"].Status, conditions["Ready"].Reason));
        Assert.Empty(world.Claims);
        Assert.Contains(world.Cluster.Events, e => e.Reason == "FailedScheduling" && e.Name == "web");
    }
}
