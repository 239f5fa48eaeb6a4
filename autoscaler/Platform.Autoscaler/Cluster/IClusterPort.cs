using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Cluster;

/// <summary>
/// The narrow port the controllers need from Kubernetes: one snapshot to read, and the few writes an autoscaler
/// makes. Every write is idempotent: creating what exists, deleting what is gone, or patching to the current value
/// succeeds quietly, so a controller that crashed half-way can simply run again.
/// </summary>
public interface IClusterPort
{
    /// <summary>The current state.</summary>
    Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Creates a NodeClaim; when one of that name exists, returns it unchanged.</summary>
    Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken);

    /// <summary>Replaces a NodeClaim's labels, annotations and finalizers (metadata only).</summary>
    Task UpdateNodeClaimMetadataAsync(string name, IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken);

    /// <summary>Replaces a NodeClaim's status.</summary>
    Task UpdateNodeClaimStatusAsync(string name, NodeClaimStatus status, CancellationToken cancellationToken);

    /// <summary>Replaces an EC2NodeClass's status.</summary>
    Task UpdateNodeClassStatusAsync(string name, EC2NodeClassStatus status, CancellationToken cancellationToken);

    /// <summary>Replaces an EC2NodeClass's finalizers; a class being deleted goes once it has none.</summary>
    Task UpdateNodeClassFinalizersAsync(string name, IList<string> finalizers, CancellationToken cancellationToken);

    /// <summary>Replaces a NodePool's status.</summary>
    Task UpdateNodePoolStatusAsync(string name, NodePoolStatus status, CancellationToken cancellationToken);

    /// <summary>Deletes a NodeClaim: with a finalizer it is only marked (deletionTimestamp) until the finalizer goes.</summary>
    Task DeleteNodeClaimAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Patches a node: labels merged in; taints, finalizers and owner references added or removed against the node as
    /// the server holds it (so what another controller set meanwhile survives); unschedulable set when given. A node
    /// being deleted goes once its last finalizer is removed.
    /// </summary>
    Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken);

    /// <summary>Deletes a node object: with a finalizer it is only marked (deletionTimestamp) until the finalizer goes.</summary>
    Task DeleteNodeAsync(string name, CancellationToken cancellationToken);

    /// <summary>Asks the Eviction API to evict a pod; PodDisruptionBudgets may refuse (HTTP 429).</summary>
    Task<EvictionOutcome> EvictAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Deletes a pod outright (terminationGracePeriod ran out).</summary>
    Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Records a Kubernetes event.</summary>
    Task RecordEventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken);
}

/// <summary>A node patch; null members are left alone.</summary>
/// <param name="Labels">Labels to add or overwrite.</param>
/// <param name="AddTaints">Taints to add, each unless the node has one of the same key and effect.</param>
/// <param name="RemoveTaints">Keys of taints to remove.</param>
/// <param name="Unschedulable">Cordon or uncordon.</param>
/// <param name="AddFinalizers">Finalizers to add (never to a node being deleted: the API server refuses that).</param>
/// <param name="RemoveFinalizers">Finalizers to remove.</param>
/// <param name="Owner">An owner reference to add unless one with its uid is there.</param>
public sealed record NodePatch(
    IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<V1Taint>? AddTaints = null, IReadOnlyList<string>? RemoveTaints = null, bool? Unschedulable = null,
    IReadOnlyList<string>? AddFinalizers = null, IReadOnlyList<string>? RemoveFinalizers = null, V1OwnerReference? Owner = null)
{
    /// <summary>Whether the patch changes a list of the node (taints, finalizers, owners): those are computed from a fresh read.</summary>
    public bool ChangesLists => AddTaints is not null || RemoveTaints is not null || AddFinalizers is not null || RemoveFinalizers is not null || Owner is not null;

    /// <summary>The taints <paramref name="current"/> ends with; null when the patch leaves them as they are.</summary>
    public IList<V1Taint>? TaintsAfter(IList<V1Taint>? current)
    {
        var before = current ?? [];
        var after = before.Where(t => RemoveTaints?.Contains(t.Key) != true).ToList();
        foreach (var taint in AddTaints ?? [])
        {
            if (!after.Any(t => t.Key == taint.Key && t.Effect == taint.Effect))
            {
                after.Add(taint);
            }
        }

        return after.Count == before.Count && after.All(before.Contains) ? null : after;
    }

    /// <summary>The finalizers <paramref name="current"/> ends with; null when the patch leaves them as they are.</summary>
    public IList<string>? FinalizersAfter(IList<string>? current)
    {
        var before = current ?? [];
        var after = before.Where(f => RemoveFinalizers?.Contains(f) != true).Concat((AddFinalizers ?? []).Where(f => !before.Contains(f))).Distinct().ToList();
        return after.SequenceEqual(before) ? null : after;
    }

    /// <summary>The owner references <paramref name="current"/> ends with; null when the patch leaves them as they are.</summary>
    public IList<V1OwnerReference>? OwnersAfter(IList<V1OwnerReference>? current)
    {
        var before = current ?? [];
        return Owner is null || before.Any(o => o.Uid == Owner.Uid) ? null : [.. before, Owner];
    }
}

/// <summary>What an eviction request came to.</summary>
public enum EvictionOutcome
{
    /// <summary>The pod is being evicted.</summary>
    Evicted,

    /// <summary>A PodDisruptionBudget refused (429): try again later, never force.</summary>
    Refused,

    /// <summary>The pod no longer exists.</summary>
    Gone,
}

/// <summary>A Kubernetes event about an object.</summary>
/// <param name="Kind">Kind of the object (Pod, Node, NodeClaim, NodePool).</param>
/// <param name="Namespace">Its namespace, or null for cluster-scoped objects.</param>
/// <param name="Name">Its name.</param>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">CamelCase reason.</param>
/// <param name="Message">What happened.</param>
public sealed record ClusterEvent(string Kind, string? Namespace, string Name, string Type, string Reason, string Message)
{
    /// <summary>A Normal event.</summary>
    public static ClusterEvent Normal(string kind, string? ns, string name, string reason, string message) => new(kind, ns, name, "Normal", reason, message);

    /// <summary>A Warning event.</summary>
    public static ClusterEvent Warning(string kind, string? ns, string name, string reason, string message) => new(kind, ns, name, "Warning", reason, message);
}
