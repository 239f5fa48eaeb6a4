using k8s;
using k8s.Models;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>Informers over the real client, and the reconnect pause they share.</summary>
public static class Informers
{
    /// <summary>All pods of the cluster.</summary>
    public static Informer<V1Pod> Pods(IKubernetes client, TimeProvider time) => new(
        async cancellationToken =>
        {
            var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. pods.Items], pods.Metadata?.ResourceVersion ?? "");
        },
        (version, onError, cancellationToken) => client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: cancellationToken),
        (failures, cancellationToken) => Task.Delay(Backoff(failures), time, cancellationToken));

    /// <summary>100 ms doubling per consecutive failure, at most 30 s.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Clamp(failures - 1, 0, 16))));
}
