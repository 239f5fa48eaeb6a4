using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Cluster;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// The cluster port over the Kubernetes API. Reads come from informers (list and watch) over pods, nodes, NodeClaims,
/// NodePools, EC2NodeClasses, PodDisruptionBudgets, DaemonSets, namespaces and the GPU Operator namespace's
/// ConfigMaps (its MIG and device plugin configs, when <see cref="ClusterPortOptions.GpuOperator"/> names it); writes
/// go straight to the API server.
/// </summary>
/// <remarks>
/// <para>
/// Call <see cref="StartAsync"/> once before <see cref="SnapshotAsync"/>. Each kind has its own watch, so a snapshot
/// is current per kind but not one instant across kinds, and it trails the controllers' own writes by a watch event.
/// The snapshot's objects are the caches' own instances: read them, never change them.
/// </para>
/// <para>
/// Writes are idempotent as <see cref="IClusterPort"/> asks. Creating an existing NodeClaim returns the existing one;
/// deleting what is gone, and updating or patching what is gone, do nothing. Metadata and status updates read the
/// object, send only the difference as a JSON merge patch that carries the resourceVersion it was computed from, and
/// start over from a fresh read when the server answers 409 Conflict, up to
/// <see cref="ClusterPortOptions.ConflictAttempts"/> times; nothing is sent when the object already is as asked.
/// </para>
/// </remarks>
public sealed partial class KubernetesClusterPort : IClusterPort, IAsyncDisposable
{
    private readonly IKubernetes client;
    private readonly TimeProvider time;
    private readonly ClusterPortOptions options;
    private readonly Informer<V1Pod> pods;
    private readonly Informer<V1Node> nodes;
    private readonly Informer<NodeClaim> nodeClaims;
    private readonly Informer<NodePool> nodePools;
    private readonly Informer<EC2NodeClass> nodeClasses;
    private readonly Informer<V1PodDisruptionBudget> budgets;
    private readonly Informer<V1DaemonSet> daemonSets;
    private readonly Informer<V1Namespace> namespaces;
    private readonly Informer<V1ConfigMap>? configMaps;
    private (string? Versions, GpuOperatorConfig Config) gpuOperator = (null, GpuOperatorConfig.Defaults);
    private readonly RecentEvents recentEvents;
    private readonly Lock gate = new();
    private CancellationTokenSource? stopping;
    private Task[] running = [];

    /// <summary>A port over <paramref name="client"/>, which stays the caller's to dispose.</summary>
    public KubernetesClusterPort(IKubernetes client, TimeProvider time, ClusterPortOptions? options = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = options ?? new ClusterPortOptions();
        var onFailure = this.options.OnInformerFailure;
        pods = Informers.Pods(client, time, onFailure);
        nodes = Informers.Nodes(client, time, onFailure);
        nodeClaims = Informers.NodeClaims(client, time, onFailure);
        nodePools = Informers.NodePools(client, time, onFailure);
        nodeClasses = Informers.NodeClasses(client, time, onFailure);
        budgets = Informers.PodDisruptionBudgets(client, time, onFailure);
        daemonSets = Informers.DaemonSets(client, time, onFailure);
        namespaces = Informers.Namespaces(client, time, onFailure);
        configMaps = this.options.GpuOperator is { } gpu ? Informers.ConfigMaps(client, gpu.Namespace, time, onFailure) : null;
        recentEvents = new RecentEvents(this.options.EventCorrelationWindow, this.options.EventCorrelationCapacity);
    }

    /// <summary>
    /// Starts every informer and completes once each has its first list. An informer whose list fails keeps trying
    /// (a missing CRD, say), so bound the wait with <paramref name="cancellationToken"/>. Cancelling the wait leaves
    /// the informers running; <see cref="DisposeAsync"/> stops them.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (stopping is not null)
            {
                throw new InvalidOperationException("The cluster port was started already.");
            }

            stopping = new CancellationTokenSource();
            var token = stopping.Token;
            running =
            [
                Task.Run(() => pods.RunAsync(token), CancellationToken.None),
                Task.Run(() => nodes.RunAsync(token), CancellationToken.None),
                Task.Run(() => nodeClaims.RunAsync(token), CancellationToken.None),
                Task.Run(() => nodePools.RunAsync(token), CancellationToken.None),
                Task.Run(() => nodeClasses.RunAsync(token), CancellationToken.None),
                Task.Run(() => budgets.RunAsync(token), CancellationToken.None),
                Task.Run(() => daemonSets.RunAsync(token), CancellationToken.None),
                Task.Run(() => namespaces.RunAsync(token), CancellationToken.None),
                .. configMaps is null ? Array.Empty<Task>() : [Task.Run(() => configMaps.RunAsync(token), CancellationToken.None)],
            ];
        }

        return WaitForSyncAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (stopping is null)
            {
                throw new InvalidOperationException("Start the cluster port (StartAsync) before taking a snapshot.");
            }
        }

        await WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterSnapshot(
            Items(pods), Items(nodes), Items(nodeClaims), Items(nodePools), Items(nodeClasses), Items(budgets), Items(daemonSets))
        {
            Namespaces = Items(namespaces),
            GpuOperator = GpuOperator(),
        };
    }

    /// <summary>The GPU Operator's configs, read again only when one of its namespace's ConfigMaps changed.</summary>
    private GpuOperatorConfig GpuOperator()
    {
        if (configMaps is null || options.GpuOperator is not { } settings)
        {
            return GpuOperatorConfig.Defaults;
        }

        var maps = Items(configMaps);
        var versions = string.Join(",", maps.Select(m => $"{m.Metadata.Name}@{m.Metadata.ResourceVersion}"));
        lock (gate)
        {
            if (gpuOperator.Versions != versions)
            {
                gpuOperator = (versions, GpuOperatorConfig.From(maps, settings));
            }

            return gpuOperator.Config;
        }
    }

    /// <summary>The caches that cannot reach the API server now, each with the last error; empty when all are current.</summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. new (string Name, Exception? Failure)[]
        {
            ("pods", pods.Failure), ("nodes", nodes.Failure), ("nodeclaims", nodeClaims.Failure), ("nodepools", nodePools.Failure),
            ("ec2nodeclasses", nodeClasses.Failure), ("poddisruptionbudgets", budgets.Failure), ("daemonsets", daemonSets.Failure),
            ("namespaces", namespaces.Failure), ("configmaps", configMaps?.Failure),
        }.Where(c => c.Failure is not null).Select(c => $"{c.Name}: {Diagnostics.ErrorText.Describe(c.Failure!)}"),
    ];

    /// <summary>An EC2NodeClass from the cache by name, without building a snapshot (a launch needs only its own).</summary>
    public EC2NodeClass? FindNodeClass(string name) => nodeClasses.TryGet(null, name, out var nodeClass) ? nodeClass : null;

    /// <summary>Stops the informers. The client is left open.</summary>
    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? stop;
        Task[] tasks;
        lock (gate)
        {
            stop = stopping;
            tasks = running;
            running = [];
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        stop.Dispose();
    }

    private Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(
        pods.WaitForSyncAsync(cancellationToken),
        nodes.WaitForSyncAsync(cancellationToken),
        nodeClaims.WaitForSyncAsync(cancellationToken),
        nodePools.WaitForSyncAsync(cancellationToken),
        nodeClasses.WaitForSyncAsync(cancellationToken),
        budgets.WaitForSyncAsync(cancellationToken),
        daemonSets.WaitForSyncAsync(cancellationToken),
        namespaces.WaitForSyncAsync(cancellationToken),
        configMaps?.WaitForSyncAsync(cancellationToken) ?? Task.CompletedTask);

    // Sorted by namespace/name, so the same cache gives the same snapshot (decisions are functions of it).
    private static T[] Items<T>(Informer<T> informer)
        where T : IKubernetesObject<V1ObjectMeta> =>
        [.. informer.Snapshot().OrderBy(item => item.Key, StringComparer.Ordinal).Select(item => item.Value)];
}
