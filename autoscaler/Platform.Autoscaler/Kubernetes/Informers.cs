using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>Informers over the real client, and the reconnect pause they share. Every watch asks for bookmarks.</summary>
public static class Informers
{
    /// <summary>All pods of the cluster.</summary>
    public static Informer<V1Pod> Pods(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. pods.Items], pods.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, "/api/v1/pods"), onFailure);

    /// <summary>All nodes.</summary>
    public static Informer<V1Node> Nodes(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. nodes.Items], nodes.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, "/api/v1/nodes"), onFailure);

    /// <summary>All PodDisruptionBudgets (policy/v1) of the cluster.</summary>
    public static Informer<V1PodDisruptionBudget> PodDisruptionBudgets(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var budgets = await client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. budgets.Items], budgets.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, "/apis/policy/v1/poddisruptionbudgets"), onFailure);

    /// <summary>All DaemonSets (apps/v1) of the cluster.</summary>
    public static Informer<V1DaemonSet> DaemonSets(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var sets = await client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. sets.Items], sets.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.AppsV1.WatchListDaemonSetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, "/apis/apps/v1/daemonsets"), onFailure);

    /// <summary>All namespaces, for the labels pod affinity terms' namespaceSelectors match.</summary>
    public static Informer<V1Namespace> Namespaces(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. namespaces.Items], namespaces.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, "/api/v1/namespaces"), onFailure);

    /// <summary>The ConfigMaps of one namespace (the GPU Operator's, for its MIG and device plugin configs).</summary>
    public static Informer<V1ConfigMap> ConfigMaps(IKubernetes client, string ns, TimeProvider time, InformerFailure? onFailure = null) => Create(
        async cancellationToken =>
        {
            var maps = await client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. maps.Items], maps.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.CoreV1.WatchListNamespacedConfigMapAsync(
            ns, allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        time, Url(client, $"/api/v1/namespaces/{ns}/configmaps"), onFailure);

    /// <summary>All NodeClaims (karpenter.sh/v1).</summary>
    public static Informer<NodeClaim> NodeClaims(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) =>
        ClusterCustomObjects<NodeClaim>(client, NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, time, onFailure);

    /// <summary>All NodePools (karpenter.sh/v1).</summary>
    public static Informer<NodePool> NodePools(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) =>
        ClusterCustomObjects<NodePool>(client, NodePool.Group, NodePool.Version, NodePool.Plural, time, onFailure);

    /// <summary>All EC2NodeClasses (karpenter.k8s.aws/v1).</summary>
    public static Informer<EC2NodeClass> NodeClasses(IKubernetes client, TimeProvider time, InformerFailure? onFailure = null) =>
        ClusterCustomObjects<EC2NodeClass>(client, EC2NodeClass.Group, EC2NodeClass.Version, EC2NodeClass.Plural, time, onFailure);

    /// <summary>All objects of one cluster-scoped custom resource, read through the CustomObjects API.</summary>
    public static Informer<T> ClusterCustomObjects<T>(IKubernetes client, string group, string version, string plural, TimeProvider time, InformerFailure? onFailure = null)
        where T : IKubernetesObject<V1ObjectMeta> => Create(
        async cancellationToken =>
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync<CustomObjectList<T>>(group, version, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. list.Items ?? []], list.Metadata?.ResourceVersion ?? "");
        },
        (resourceVersion, onError, cancellationToken) => Typed<T>(
            client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken),
            onError,
            cancellationToken),
        time, Url(client, $"/apis/{group}/{version}/{plural}"), onFailure);

    /// <summary>100 ms doubling per consecutive failure, at most 30 s.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Clamp(failures - 1, 0, 16))));

    private static Informer<T> Create<T>(
        Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> list,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch,
        TimeProvider time,
        string url,
        InformerFailure? onFailure)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(list, watch, (failures, cancellationToken) => Task.Delay(Backoff(failures), time, cancellationToken),
            onFailure is null ? null : (operation, error, failures) => onFailure($"{operation} {url}", error, failures));

    private static string Url(IKubernetes client, string path) => (client.BaseUri?.ToString().TrimEnd('/') ?? "") + path;

    // The CustomObjects watch yields untyped JSON; an object that does not read is reported and skipped, as the
    // client's own typed watches do.
    private static async IAsyncEnumerable<(WatchEventType Type, T Object)> Typed<T>(
        IAsyncEnumerable<(WatchEventType, object)> events, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, value) in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            T item;
            try
            {
                item = value is JsonElement element
                    ? KubernetesJson.Deserialize<T>(element)
                    : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
            }
            catch (JsonException e)
            {
                onError(e);
                continue;
            }

            yield return (type, item);
        }
    }
}
