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
    /// One JSON merge patch: labels merge key by key, the taint list and unschedulable are replaced. A strategic merge
    /// patch would merge taints by key instead of replacing the list. The taints are the caller's whole list, so the
    /// last writer wins; the patch is sent without a resourceVersion.
    /// </remarks>
    public async Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        var body = NodePatchJson(patch);
        if (body.Count == 0)
        {
            return;
        }

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

    private static JsonObject NodePatchJson(NodePatch patch)
    {
        var body = new JsonObject();
        if (patch.Labels is { Count: > 0 } labels)
        {
            body["metadata"] = new JsonObject { ["labels"] = Map(labels) };
        }

        var spec = new JsonObject();
        if (patch.Taints is { } taints)
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
