using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Kubernetes;

public sealed partial class KubernetesClusterPort
{
    /// <inheritdoc />
    public async Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var name = claim.Metadata?.Name;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.CustomObjects.CreateClusterCustomObjectAsync<NodeClaim>(
                    claim, NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural,
                    fieldManager: options.Component, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsConflict() && !string.IsNullOrEmpty(name) && attempt < options.ConflictAttempts)
            {
                // AlreadyExists: the claim of that name is the answer, unless it went away meanwhile; then create again.
                if (await ReadNodeClaimAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }
            }
        }
    }

    /// <inheritdoc />
    public Task UpdateNodeClaimMetadataAsync(
        string name, IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (labels is null && annotations is null && finalizers is null)
        {
            return Task.CompletedTask;
        }

        return UpdateMetadataAsync(ct => ReadNodeClaimAsync(name, ct), NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, name, labels, annotations, finalizers, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateNodeClaimStatusAsync(string name, NodeClaimStatus status, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(status);
        return UpdateStatusAsync(ct => ReadNodeClaimAsync(name, ct), c => c.Status, NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, name, status, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateNodeClassStatusAsync(string name, EC2NodeClassStatus status, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(status);
        return UpdateStatusAsync(ct => ReadNodeClassAsync(name, ct), c => c.Status, EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural, name, status, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateNodeClassFinalizersAsync(string name, IList<string> finalizers, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(finalizers);
        return UpdateMetadataAsync(ct => ReadNodeClassAsync(name, ct), EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural, name, null, null, finalizers, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateNodePoolStatusAsync(string name, NodePoolStatus status, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(status);
        return UpdateStatusAsync(
            ct => OrNullAsync(t => client.CustomObjects.GetClusterCustomObjectAsync<NodePool>(NodePool.Group, NodePool.Version, NodePool.Plural, name, t), ct),
            p => p.Status, NodePool.Group, NodePool.Version, NodePool.Plural, name, status, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteNodeClaimAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            await client.CustomObjects.DeleteClusterCustomObjectAsync(
                NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // gone already
        }
    }

    private Task<EC2NodeClass?> ReadNodeClassAsync(string name, CancellationToken cancellationToken) =>
        OrNullAsync(ct => client.CustomObjects.GetClusterCustomObjectAsync<EC2NodeClass>(EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural, name, ct), cancellationToken);

    private Task<NodeClaim?> ReadNodeClaimAsync(string name, CancellationToken cancellationToken) =>
        OrNullAsync(ct => client.CustomObjects.GetClusterCustomObjectAsync<NodeClaim>(NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, name, ct), cancellationToken);

    /// <summary>The object a read returns, or null when the server says it does not exist.</summary>
    private static async Task<T?> OrNullAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>A cluster-scoped custom object's labels, annotations and finalizers replaced (null: left as they are).</summary>
    private Task UpdateMetadataAsync<T>(
        Func<CancellationToken, Task<T?>> read, string group, string version, string plural, string name,
        IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateByDiffAsync(
            read,
            current =>
            {
                var metadata = current.Metadata ?? new V1ObjectMeta();
                var diff = MergePatch.Diff(
                    MetadataJson(metadata.Labels, metadata.Annotations, metadata.Finalizers),
                    MetadataJson(labels ?? metadata.Labels, annotations ?? metadata.Annotations, finalizers ?? metadata.Finalizers));
                return diff.Count == 0 ? null : new JsonObject { ["metadata"] = WithVersion(diff, metadata.ResourceVersion) };
            },
            (patch, ct) => client.CustomObjects.PatchClusterCustomObjectAsync(patch, group, version, plural, name, fieldManager: options.Component, cancellationToken: ct),
            cancellationToken);

    /// <summary>A cluster-scoped custom object's status brought to <paramref name="wanted"/> by a merge patch of what differs.</summary>
    private Task UpdateStatusAsync<T>(
        Func<CancellationToken, Task<T?>> read, Func<T, object?> statusOf, string group, string version, string plural, string name,
        object wanted, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateByDiffAsync(
            read,
            current => StatusPatch(current.Metadata, statusOf(current), wanted),
            (patch, ct) => client.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, group, version, plural, name, fieldManager: options.Component, cancellationToken: ct),
            cancellationToken);

    /// <summary>
    /// Reads the object, builds a merge patch from it (null: nothing to change) and sends it; on 409 Conflict it
    /// starts over from a fresh read. An object that is gone, before or during the update, ends it quietly.
    /// </summary>
    private async Task UpdateByDiffAsync<T>(
        Func<CancellationToken, Task<T?>> read, Func<T, JsonObject?> build, Func<V1Patch, CancellationToken, Task> send, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await read(cancellationToken).ConfigureAwait(false) is not { } current || build(current) is not { } patch)
            {
                return;
            }

            try
            {
                await send(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                return;
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt < options.ConflictAttempts)
            {
                // someone wrote in between: read again and recompute
            }
        }
    }

    /// <summary>A merge patch from the current status to the wanted one, guarded by the resourceVersion; null when they agree.</summary>
    private static JsonObject? StatusPatch(V1ObjectMeta? metadata, object? current, object wanted)
    {
        var diff = MergePatch.Diff(Json(current), Json(wanted));
        return diff.Count == 0 ? null : new JsonObject { ["metadata"] = WithVersion([], metadata?.ResourceVersion), ["status"] = diff };
    }

    private static JsonObject MetadataJson(IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers) => new()
    {
        ["labels"] = Map(labels),
        ["annotations"] = Map(annotations),
        ["finalizers"] = finalizers is null ? null : new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]),
    };

    private static JsonObject? Map(IEnumerable<KeyValuePair<string, string>>? map) => map is null
        ? null
        : new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    private static JsonObject WithVersion(JsonObject metadata, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return metadata;
    }

    private static JsonObject? Json(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value)) as JsonObject;
}
