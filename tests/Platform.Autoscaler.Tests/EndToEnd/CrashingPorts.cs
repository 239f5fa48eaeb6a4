using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>The Kubernetes adapter of one process, with its writes under the crash switch.</summary>
public sealed class CrashingClusterPort(IClusterPort inner, CrashSwitch crash) : IClusterPort
{
    public Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken) =>
        crash.Crashed ? throw new ProcessCrashedException("snapshot: the process crashed earlier") : inner.SnapshotAsync(cancellationToken);

    public Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken) =>
        crash.CallAsync("CreateNodeClaim", () => inner.CreateNodeClaimAsync(claim, cancellationToken));

    public Task UpdateNodeClaimMetadataAsync(string name, IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken) =>
        crash.CallAsync("UpdateNodeClaimMetadata", () => inner.UpdateNodeClaimMetadataAsync(name, labels, annotations, finalizers, cancellationToken));

    public Task UpdateNodeClaimStatusAsync(string name, NodeClaimStatus status, CancellationToken cancellationToken) =>
        crash.CallAsync("UpdateNodeClaimStatus", () => inner.UpdateNodeClaimStatusAsync(name, status, cancellationToken));

    public Task UpdateNodeClassStatusAsync(string name, EC2NodeClassStatus status, CancellationToken cancellationToken) =>
        crash.CallAsync("UpdateNodeClassStatus", () => inner.UpdateNodeClassStatusAsync(name, status, cancellationToken));

    public Task UpdateNodeClassFinalizersAsync(string name, IList<string> finalizers, CancellationToken cancellationToken) =>
        crash.CallAsync("UpdateNodeClassFinalizers", () => inner.UpdateNodeClassFinalizersAsync(name, finalizers, cancellationToken));

    public Task UpdateNodePoolStatusAsync(string name, NodePoolStatus status, CancellationToken cancellationToken) =>
        crash.CallAsync("UpdateNodePoolStatus", () => inner.UpdateNodePoolStatusAsync(name, status, cancellationToken));

    public Task DeleteNodeClaimAsync(string name, CancellationToken cancellationToken) =>
        crash.CallAsync("DeleteNodeClaim", () => inner.DeleteNodeClaimAsync(name, cancellationToken));

    public Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken) =>
        crash.CallAsync("PatchNode", () => inner.PatchNodeAsync(name, patch, cancellationToken));

    public Task DeleteNodeAsync(string name, CancellationToken cancellationToken) =>
        crash.CallAsync("DeleteNode", () => inner.DeleteNodeAsync(name, cancellationToken));

    public Task<EvictionOutcome> EvictAsync(string ns, string name, CancellationToken cancellationToken) =>
        crash.CallAsync("Evict", () => inner.EvictAsync(ns, name, cancellationToken));

    public Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken) =>
        crash.CallAsync("DeletePod", () => inner.DeletePodAsync(ns, name, cancellationToken));

    // Events are best-effort and not a step whose loss needs repair.
    public Task RecordEventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken) =>
        crash.Crashed ? Task.CompletedTask : inner.RecordEventAsync(clusterEvent, cancellationToken);
}

/// <summary>The cloud as one process sees it, with launches and terminations under the crash switch.</summary>
public sealed class CrashingCloud(ICloudProvider inner, CrashSwitch crash) : ICloudProvider
{
    public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => inner.GetCatalogAsync(cancellationToken);

    public Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken) =>
        crash.CallAsync("Cloud.Create", () => inner.CreateAsync(attempt, cancellationToken));

    public Task DeleteAsync(string providerId, CancellationToken cancellationToken) =>
        crash.CallAsync("Cloud.Delete", () => inner.DeleteAsync(providerId, cancellationToken));

    public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) =>
        crash.Crashed ? throw new ProcessCrashedException("get: the process crashed earlier") : inner.GetAsync(providerId, cancellationToken);

    public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) =>
        crash.Crashed ? throw new ProcessCrashedException("list: the process crashed earlier") : inner.ListAsync(cancellationToken);
}
