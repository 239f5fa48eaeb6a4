using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Writes each NodePool's status as Karpenter's nodepool counter, readiness and validation controllers do, for
/// <c>kubectl get nodepools</c>: <c>nodes</c> and <c>resources</c> (the capacity of its NodeClaims not being deleted,
/// with a <c>nodes</c> count: a node's own once it has initialized, what its claim expects before), and the conditions
/// ValidationSucceeded (the rules <c>validate</c> checks), NodeClassReady (its EC2NodeClass exists, is not being
/// deleted and is Ready) and Ready over both. Conditions carry the pool's generation and keep their transition time
/// while their status holds; nothing is written when nothing changed.
/// </summary>
public sealed class NodePoolStatusController(ControllerContext context)
{
    /// <summary>NodeClassReady: the pool's EC2NodeClass is there and Ready.</summary>
    public const string NodeClassReady = "NodeClassReady";

    /// <summary>ValidationSucceeded: the pool breaks none of Karpenter's rules.</summary>
    public const string ValidationSucceeded = "ValidationSucceeded";

    // The resources Karpenter always reports, zero or not.
    private const string NodesResource = "nodes";

    private static readonly string[] BaseResources = [.. NodeClaimLifecycle.BaseResources, NodesResource];

    private readonly StatusWrites<NodePoolStatus> written = new();

    // The view the last complete pass wrote from: the status is a function of it, so an unchanged view needs no pass.
    private ClusterView? done;

    /// <summary>One pass over every NodePool not being deleted.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(view, done))
        {
            return;
        }

        var classes = view.Snapshot.NodeClasses.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var live = view.Snapshot.NodePools.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        foreach (var pool in live)
        {
            var name = pool.Metadata.Name;
            var before = written.Before(pool.Metadata, pool.Status);
            var status = StatusOf(pool, view, classes.GetValueOrDefault(pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? ""), before, context.Now, context.Checks);
            if (StatusWrites<NodePoolStatus>.Same(before, status))
            {
                continue;
            }

            await context.Cluster.UpdateNodePoolStatusAsync(name, status, cancellationToken).ConfigureAwait(false);
            written.Wrote(pool.Metadata, status);
        }

        written.KeepOnly(live.Select(p => p.Metadata.Name));

        done = view;
    }

    /// <summary>The status <paramref name="pool"/> should have, given what it had.</summary>
    public static NodePoolStatus StatusOf(NodePool pool, ClusterView view, EC2NodeClass? nodeClass, NodePoolStatus? previous, DateTimeOffset now, ObjectChecks? checks = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(view);
        var capacity = ResourceList.Empty;
        foreach (var claim in view.Claims.Values.Where(c => ClusterView.PoolOf(c) == pool.Metadata.Name && c.Metadata.DeletionTimestamp is null))
        {
            var node = view.NodeOfClaim.GetValueOrDefault(claim.Metadata.Name);
            if (node is not null && ClusterView.IsDisrupting(node))
            {
                continue;
            }

            var own = CapacityOf(claim, node);
            capacity = own.Names.Any() ? capacity.Add(own).Add(ResourceList.Of((NodesResource, 1))) : capacity;
        }

        // The same judgement that leaves the pool out of planning: Karpenter's rules and the ranges the autoscaler reads.
        var problem = (checks ?? new ObjectChecks()).Problem(pool) ?? view.GpuSharingProblems.GetValueOrDefault(pool.Metadata.Name);
        var validated = problem is null
            ? Condition.True(ValidationSucceeded)
            : Condition.False(ValidationSucceeded, "NodePoolValidationFailed", problem);
        var dependents = new List<Condition> { validated, NodeClass(nodeClass) };
        var conditions = ConditionStamps.Stamp([.. dependents, ConditionStamps.ReadyOver(dependents)], previous?.Conditions, pool.Metadata.Generation, now);
        return new NodePoolStatus
        {
            Resources = BaseResources.Union(capacity.Names).Order(StringComparer.Ordinal)
                .ToDictionary(n => n, n => new ResourceQuantity(ResourceList.Format(n, capacity[n])), StringComparer.Ordinal),
            Nodes = capacity[NodesResource],
            Conditions = [.. conditions.OrderBy(c => c.Type, StringComparer.Ordinal)],
        };
    }

    /// <summary>Karpenter's NodeClassReady: why the class cannot serve the pool, or True.</summary>
    private static Condition NodeClass(EC2NodeClass? nodeClass)
    {
        if (nodeClass is null)
        {
            return Condition.False(NodeClassReady, "NodeClassNotFound", "NodeClass not found on cluster");
        }

        if (nodeClass.Metadata.DeletionTimestamp is not null)
        {
            return Condition.False(NodeClassReady, "NodeClassTerminating", "NodeClass is Terminating");
        }

        return nodeClass.Status?.Conditions?.FirstOrDefault(c => c.Type == NodeClassConditions.Ready) switch
        {
            { Status: "True" } => Condition.True(NodeClassReady),
            { Status: "False" } ready => Condition.False(NodeClassReady, ready.Reason ?? "NodeClassNotReady", ready.Message ?? ""),
            _ => Condition.False(NodeClassReady, "NodeClassReadinessUnknown", "Node Class Readiness Unknown"),
        };
    }

    /// <summary>What a claim's node counts with (Karpenter's StateNode.Capacity): the node's own once initialized; before, the claim's expectation where the node reports nothing yet.</summary>
    private static ResourceList CapacityOf(NodeClaim claim, V1Node? node)
    {
        var expected = ResourceList.FromQuantities(claim.Status?.Capacity);
        if (node is null)
        {
            return expected;
        }

        var reported = ResourceList.FromQuantities(node.Status?.Capacity);
        return NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Initialized)
            ? reported
            : ResourceList.Of(reported.Names.Union(expected.Names).Select(n => KeyValuePair.Create(n, reported[n] > 0 ? reported[n] : expected[n])));
    }
}
