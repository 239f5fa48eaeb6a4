using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// A cache of one kind kept current by list and watch, the way the Kubernetes client leaves to its users: list,
/// remember the resourceVersion, watch from it (bookmarks move it on), and on 410 Gone list again. A dropped
/// connection resumes the watch from the last version after a growing pause, so no event is lost and none is
/// applied twice; the cache is replaced only by a full list.
/// </summary>
public sealed class Informer<T>(
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch,
    Func<int, CancellationToken, Task> backoff,
    Action<string, Exception, int>? onFailure = null)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private volatile Exception? lastFailure;

    private readonly Dictionary<string, T> items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string ResourceVersion { get; private set; } = "";

    /// <summary>How many full lists were made (the first, and one per 410 Gone).</summary>
    public int Lists { get; private set; }

    /// <summary>A copy of the cache, by namespace/name.</summary>
    public IReadOnlyDictionary<string, T> Snapshot()
    {
        lock (gate)
        {
            return new Dictionary<string, T>(items, StringComparer.Ordinal);
        }
    }

    /// <summary>One cached object by namespace (null for cluster-scoped objects) and name.</summary>
    public bool TryGet(string? ns, string name, [MaybeNullWhen(false)] out T item)
    {
        lock (gate)
        {
            return items.TryGetValue($"{ns}/{name}", out item);
        }
    }

    /// <summary>
    /// The error of the last list or watch while the informer cannot reach the server (null once it lists or watches
    /// again): the cache is getting stale.
    /// </summary>
    public Exception? Failure => lastFailure;

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var relist = true;
        var operation = "list";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    operation = "list";
                    var (listed, version) = await list(cancellationToken).ConfigureAwait(false);
                    lock (gate)
                    {
                        items.Clear();
                        foreach (var item in listed)
                        {
                            items[Key(item)] = item;
                        }

                        ResourceVersion = version;
                        Lists++;
                    }

                    synced.TrySetResult();
                    relist = false;
                    lastFailure = null;
                }

                var gone = false;
                operation = "watch";
                await foreach (var (type, item) in watch(ResourceVersion, e => gone |= IsGone(e), cancellationToken).ConfigureAwait(false))
                {
                    Apply(type, item);
                    failures = 0;
                    lastFailure = null;
                }

                relist = gone;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsGone(e))
            {
                relist = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Disconnects, server errors and unreadable answers alike: pause, then resume from the last version.
                lastFailure = e;
                onFailure?.Invoke(operation, e, failures + 1);
                try
                {
                    await backoff(++failures, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private void Apply(WatchEventType type, T item)
    {
        lock (gate)
        {
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    items[Key(item)] = item;
                    break;
                case WatchEventType.Deleted:
                    items.Remove(Key(item));
                    break;
            }

            if (item.Metadata?.ResourceVersion is { Length: > 0 } version)
            {
                ResourceVersion = version;
            }
        }
    }

    private static bool IsGone(Exception error) => error switch
    {
        KubernetesException k => k.Status?.Code == 410,
        k8s.Autorest.HttpOperationException h => (int)h.Response.StatusCode == 410,
        _ => false,
    };

    private static string Key(T item) => $"{item.Metadata?.NamespaceProperty}/{item.Metadata?.Name}";
}
