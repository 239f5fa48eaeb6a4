using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Finishes a deleted NodeClaim, in an order where a crash at any step is repaired by running again: taint the node
/// karpenter.sh/disrupted so nothing new lands; evict its pods through the Eviction API (a PDB's refusal waits for
/// the next pass, never forces; daemonset and mirror pods stay; do-not-disrupt pods wait); once
/// terminationGracePeriod has run out, delete what is left; terminate the instance and wait until the cloud says it
/// is no longer running; delete the node and release its termination finalizer; only then remove the claim's
/// finalizer, so no instance outlives its claim.
/// </summary>
/// <remarks>
/// A node deleted by itself (<c>kubectl delete node</c>, the cloud node lifecycle controller) is held by the
/// termination finalizer registration gave it, as in Karpenter's node termination controller: its NodeClaim is
/// deleted, and the claim's termination above drains it, terminates its instance and lets it go. A node with the
/// finalizer and no NodeClaim is drained and let go; the garbage collector terminates an instance no claim owns. A
/// node that is not Ready and whose instance is gone is not drained: a dead kubelet ends no pod gracefully.
/// </remarks>
public sealed class Termination(ControllerContext context)
{
    /// <summary>One pass over every NodeClaim and node being deleted.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        foreach (var claim in view.Claims.Values.Where(c => c.Metadata.DeletionTimestamp is not null
            && c.Metadata.Finalizers?.Contains(WellKnownAnnotations.TerminationFinalizer) == true))
        {
            await TerminateAsync(view, claim, cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in view.Snapshot.Nodes.Where(n => n.Metadata.DeletionTimestamp is not null
            && n.Metadata.Finalizers?.Contains(WellKnownAnnotations.TerminationFinalizer) == true))
        {
            if (!view.ClaimOfNode.TryGetValue(node.Metadata.Name, out var claim))
            {
                await ReleaseOrphanAsync(view, node, cancellationToken).ConfigureAwait(false);
            }
            else if (claim.Metadata.DeletionTimestamp is null)
            {
                await context.DeleteClaimAsync(claim, "NodeDeleted", "termination", $"its node {node.Metadata.Name} was deleted", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task TerminateAsync(ClusterView view, NodeClaim claim, CancellationToken cancellationToken)
    {
        var name = claim.Metadata.Name;
        var node = view.NodeOfClaim.GetValueOrDefault(name);
        var deletedAt = claim.Metadata.DeletionTimestamp is { } at ? at.AsUtc() : context.Now;
        var grace = claim.Spec?.TerminationGracePeriod is { } text ? KarpenterDuration.Parse(text) : null;
        if (node is not null && !await DeadAsync(node, cancellationToken).ConfigureAwait(false)
            && !await DrainAsync(view, node, deletedAt, grace, $"NodeClaim/{name}", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (claim.Status?.ProviderID is { } providerId)
        {
            try
            {
                await context.Cloud.DeleteAsync(providerId, cancellationToken).ConfigureAwait(false);
                if ((await context.Cloud.GetAsync(providerId, cancellationToken).ConfigureAwait(false)).Running)
                {
                    return;
                }
            }
            catch (InstanceNotFoundException)
            {
                // Already gone: exactly what this step wants.
            }
        }

        if (node is not null)
        {
            // Deleted first, then released: a crash in between leaves a node being deleted, which the next pass
            // finds through this claim again.
            await context.Cluster.DeleteNodeAsync(node.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await ReleaseAsync(node, cancellationToken).ConfigureAwait(false);
        }

        var finalizers = (claim.Metadata.Finalizers ?? []).Where(f => f != WellKnownAnnotations.TerminationFinalizer).ToList();
        await context.Cluster.UpdateNodeClaimMetadataAsync(name, null, null, finalizers, cancellationToken).ConfigureAwait(false);
        var reason = ClusterView.Get(claim.Metadata.Annotations, ControllerContext.TerminationReasonAnnotation) ?? "Deleted";
        context.Metrics.NodeClaimsTerminated.WithLabels(ClusterView.PoolOf(claim), reason).Inc();
        context.Record("termination", "terminate", $"NodeClaim/{name}", $"{reason}; instance {claim.Status?.ProviderID ?? "(never launched)"} released");
    }

    /// <summary>A deleted node no NodeClaim owns: drained (unless dead), then let go.</summary>
    private async Task ReleaseOrphanAsync(ClusterView view, V1Node node, CancellationToken cancellationToken)
    {
        var deletedAt = node.Metadata.DeletionTimestamp is { } at ? at.AsUtc() : context.Now;
        if (!await DeadAsync(node, cancellationToken).ConfigureAwait(false)
            && !await DrainAsync(view, node, deletedAt, null, $"Node/{node.Metadata.Name}", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await ReleaseAsync(node, cancellationToken).ConfigureAwait(false);
        context.Record("termination", "release", $"Node/{node.Metadata.Name}", "deleted without a NodeClaim; drained and let go");
    }

    private Task ReleaseAsync(V1Node node, CancellationToken cancellationToken) =>
        context.Cluster.PatchNodeAsync(node.Metadata.Name, new NodePatch(RemoveFinalizers: [WellKnownAnnotations.TerminationFinalizer]), cancellationToken);

    /// <summary>The pod's deletionTimestamp (its deletion time plus its grace period) passed more than a minute ago.</summary>
    private bool StuckTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is { } at && context.Now - at.AsUtc() > TimeSpan.FromMinutes(1);

    private static readonly Taint DisruptedTaint = new() { Key = WellKnownTaints.Disrupted, Effect = TaintEffects.NoSchedule };

    private static bool ToleratesDisrupted(V1Pod pod) =>
        pod.Spec?.Tolerations?.Any(t => new Core.Model.Toleration(t.Key, t.OperatorProperty, t.Value, t.Effect).Tolerates(DisruptedTaint)) == true;

    /// <summary>Not Ready and its instance gone: nothing on it can be drained (Karpenter skips the drain then too).</summary>
    private async Task<bool> DeadAsync(V1Node node, CancellationToken cancellationToken)
    {
        if (ClusterView.IsReady(node) || node.Spec?.ProviderID is not { Length: > 0 } providerId)
        {
            return false;
        }

        try
        {
            return !(await context.Cloud.GetAsync(providerId, cancellationToken).ConfigureAwait(false)).Running;
        }
        catch (InstanceNotFoundException)
        {
            return true;
        }
    }

    /// <summary>
    /// True once no pod is left on the node that the drain waits for. As Karpenter's drain (IsDrainable), it does not
    /// wait for daemonset, mirror or finished pods, for pods that tolerate the disrupted taint (they would come back),
    /// nor for pods stuck terminating a minute past their grace period: on a real cluster only the kubelet ends an
    /// evicted pod, and one that cannot would hold the node and its instance forever.
    /// </summary>
    private async Task<bool> DrainAsync(ClusterView view, V1Node node, DateTimeOffset deletedAt, TimeSpan? grace, string owner, CancellationToken cancellationToken)
    {
        if (node.Spec?.Taints?.Any(t => t.Key == WellKnownTaints.Disrupted) != true)
        {
            var disrupted = new V1Taint { Key = DisruptedTaint.Key, Effect = DisruptedTaint.Effect };
            await context.Cluster.PatchNodeAsync(node.Metadata.Name, new NodePatch(AddTaints: [disrupted]), cancellationToken).ConfigureAwait(false);
        }

        var expired = grace is { } g && context.Now - deletedAt >= g;
        var remaining = view.PodsOnNode[node.Metadata.Name].Where(p => !ClusterView.IsDaemon(p) && !StuckTerminating(p) && !ToleratesDisrupted(p)).ToList();
        foreach (var pod in remaining.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var ns = pod.Metadata.NamespaceProperty ?? "default";
            if (expired)
            {
                await context.Cluster.DeletePodAsync(ns, pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
                context.Record("termination", "delete-pod", $"Pod/{ns}/{pod.Metadata.Name}", $"terminationGracePeriod {grace} of {owner} ran out");
                continue;
            }

            if (ClusterView.Get(pod.Metadata.Annotations, WellKnownAnnotations.DoNotDisrupt) == "true")
            {
                continue;
            }

            var outcome = await context.Cluster.EvictAsync(ns, pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
            context.Metrics.Evictions.WithLabels(outcome.ToString()).Inc();
            if (outcome == EvictionOutcome.Refused)
            {
                await context.EventAsync(ClusterEvent.Warning("Pod", ns, pod.Metadata.Name, "EvictionBlocked",
                    $"a PodDisruptionBudget refused eviction from node {node.Metadata.Name}; retrying"), cancellationToken).ConfigureAwait(false);
            }
        }

        return remaining.Count == 0;
    }
}
