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
    /// One JSON merge patch: labels merge key by key, unschedulable is set. A merge patch replaces the taint list, so a
    /// taint change is computed from a fresh read of the node and sent with its resourceVersion; on 409 Conflict it
    /// starts over, so a taint another controller added in between is kept.
    /// </remarks>
    public Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.AddTaints is null && patch.RemoveTaints is null)
        {
            var body = NodePatchJson(patch, null);
            return body.Count == 0 ? Task.CompletedTask : SendNodePatchAsync(name, body, cancellationToken);
        }

        return UpdateByDiffAsync(
            ct => OrNullAsync(t => client.CoreV1.ReadNodeAsync(name, cancellationToken: t), ct),
            current =>
            {
                var body = NodePatchJson(patch, patch.TaintsAfter(current.Spec?.Taints));
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

    private static JsonObject NodePatchJson(NodePatch patch, IList<V1Taint>? taints)
    {
        var body = new JsonObject();
        if (patch.Labels is { Count: > 0 } labels)
        {
            body["metadata"] = new JsonObject { ["labels"] = Map(labels) };
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
