using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;

namespace Platform.Autoscaler.Kubernetes;

public sealed partial class KubernetesClusterPort
{
    /// <inheritdoc />
    /// <remarks>
    /// A core/v1 Event in the object's namespace ("default" for cluster-scoped objects), named like client-go's
    /// (object name, a dot, the time in hex nanoseconds), with <see cref="ClusterPortOptions.Component"/> as source and
    /// reporting component, and count, firstTimestamp and lastTimestamp from the injected clock. The involved object
    /// carries its apiVersion and, when the caches hold the object, its uid (kubectl describe matches on it). The same
    /// event again within <see cref="ClusterPortOptions.EventCorrelationWindow"/> patches the first one's count and
    /// lastTimestamp instead.
    /// </remarks>
    public async Task RecordEventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clusterEvent);
        var now = time.GetUtcNow().UtcDateTime;
        if (recentEvents.Repeat(clusterEvent, now) is { } repeat)
        {
            var patch = new JsonObject { ["count"] = repeat.Count, ["lastTimestamp"] = Timestamp(now) };
            try
            {
                await client.CoreV1.PatchNamespacedEventAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), repeat.Name, repeat.Namespace,
                    fieldManager: options.Component, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                // events expire (the API server's event TTL): start a new one
                recentEvents.Forget(clusterEvent);
            }
        }

        var ns = string.IsNullOrEmpty(clusterEvent.Namespace) ? "default" : clusterEvent.Namespace;
        var nanoseconds = (now - DateTime.UnixEpoch).Ticks * 100;
        for (var attempt = 0; ; attempt++)
        {
            var name = $"{clusterEvent.Name}.{nanoseconds + attempt:x}";
            try
            {
                await client.CoreV1.CreateNamespacedEventAsync(
                    NewEvent(clusterEvent, ns, name, now), ns, fieldManager: options.Component, cancellationToken: cancellationToken).ConfigureAwait(false);
                recentEvents.Remember(clusterEvent, new RecordedEvent(ns, name, 1, now, now));
                return;
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt + 1 < options.ConflictAttempts)
            {
                // the same name in the same nanosecond (or a frozen test clock): take the next one
            }
        }
    }

    private Corev1Event NewEvent(ClusterEvent clusterEvent, string ns, string name, DateTime now)
    {
        var (apiVersion, uid) = Describe(clusterEvent.Kind, clusterEvent.Namespace, clusterEvent.Name);
        var instance = string.IsNullOrEmpty(options.Instance) ? null : options.Instance;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = apiVersion,
                Kind = clusterEvent.Kind,
                NamespaceProperty = string.IsNullOrEmpty(clusterEvent.Namespace) ? null : clusterEvent.Namespace,
                Name = clusterEvent.Name,
                Uid = uid,
            },
            Type = clusterEvent.Type,
            Reason = clusterEvent.Reason,
            Message = clusterEvent.Message,
            Source = new V1EventSource { Component = options.Component, Host = instance },
            ReportingComponent = options.Component,
            ReportingInstance = instance,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
        };
    }

    private (string? ApiVersion, string? Uid) Describe(string kind, string? ns, string name) => kind switch
    {
        "Pod" => ("v1", pods.TryGet(ns, name, out var pod) ? pod.Metadata?.Uid : null),
        "Node" => ("v1", nodes.TryGet(null, name, out var node) ? node.Metadata?.Uid : null),
        "DaemonSet" => ("apps/v1", daemonSets.TryGet(ns, name, out var daemonSet) ? daemonSet.Metadata?.Uid : null),
        NodeClaim.KindName => (NodeClaim.GroupVersion, nodeClaims.TryGet(null, name, out var claim) ? claim.Metadata?.Uid : null),
        NodePool.KindName => (NodePool.GroupVersion, nodePools.TryGet(null, name, out var pool) ? pool.Metadata?.Uid : null),
        EC2NodeClass.KindName => (EC2NodeClass.GroupVersion, nodeClasses.TryGet(null, name, out var nodeClass) ? nodeClass.Metadata?.Uid : null),
        _ => (null, null),
    };

    // Kubernetes' Time: RFC 3339 in whole seconds, UTC.
    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
