using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Cluster;

namespace Platform.Autoscaler.Kubernetes;

public sealed partial class KubernetesClusterPort
{
    /// <inheritdoc />
    /// <remarks>
    /// One JSON merge patch: labels merge key by key, unschedulable is set. A merge patch replaces whole lists, so a
    /// change of the taints, finalizers or owner references is computed from a fresh read of the node and sent with its
    /// resourceVersion; on 409 Conflict it starts over, so what another controller added in between is kept.
    /// </remarks>
    public Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        if (!patch.ChangesLists)
        {
            var body = NodePatchJson(patch, null, null);
            return body.Count == 0 ? Task.CompletedTask : SendNodePatchAsync(name, body, cancellationToken);
        }

        return UpdateByDiffAsync(
            ct => OrNullAsync(t => client.CoreV1.ReadNodeAsync(name, cancellationToken: t), ct),
            current =>
            {
                var body = NodePatchJson(patch, patch.TaintsAfter(current.Spec?.Taints), current.Metadata);
                if (body.Count == 0)
                {
                    return null;
                }

                body["metadata"] = WithVersion(body["metadata"] as JsonObject ?? [], current.Metadata?.ResourceVersion);
                return body;
            },
            (body, ct) => client.CoreV1.PatchNodeAsync(body, name, fieldManager: options.Component, cancellationToken: ct),
            cancellationToken);
    }

    private async Task SendNodePatchAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.CoreV1.PatchNodeAsync(
                    new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), name,
                    fieldManager: options.Component, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                return;
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt < options.ConflictAttempts)
            {
                // the server lost a race with another writer: the same patch applies again
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteNodeAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            await client.CoreV1.DeleteNodeAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // gone already
        }
    }

    /// <summary>The merge patch; <paramref name="current"/> (the node as read) is given when lists may change.</summary>
    private static JsonObject NodePatchJson(NodePatch patch, IList<V1Taint>? taints, V1ObjectMeta? current)
    {
        var body = new JsonObject();
        var metadata = new JsonObject();
        if (patch.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = Map(labels);
        }

        if (current is not null && patch.FinalizersAfter(current.Finalizers) is { } finalizers)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]);
        }

        if (current is not null && patch.OwnersAfter(current.OwnerReferences) is { } owners)
        {
            metadata["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners));
        }

        if (metadata.Count > 0)
        {
            body["metadata"] = metadata;
        }

        var spec = new JsonObject();
        if (taints is not null)
        {
            spec["taints"] = JsonNode.Parse(KubernetesJson.Serialize(taints));
        }

        if (patch.Unschedulable is { } unschedulable)
        {
            spec["unschedulable"] = unschedulable;
        }

        if (spec.Count > 0)
        {
            body["spec"] = spec;
        }

        return body;
    }
}
