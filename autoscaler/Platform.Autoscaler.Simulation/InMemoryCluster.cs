using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// A Kubernetes API in memory, for tests and simulate: objects are copied on every write and never changed after
/// (a snapshot stays what it was), finalizers hold a NodeClaim's, node's or EC2NodeClass's deletion until removed,
/// evictions are refused when a PodDisruptionBudget allows no more, and PDB status is computed the way
/// kube-controller-manager does. Nodes carry the taints the API server and the node lifecycle controller give them:
/// <c>node.kubernetes.io/not-ready</c> from creation until their Ready condition is True (unreachable while it is
/// Unknown). The world around the autoscaler (scheduler, kubelets, workload controllers) writes through the public
/// methods here.
/// </summary>
public sealed class InMemoryCluster(TimeProvider time) : IClusterPort
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, V1Pod> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Node> nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeClaim> claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodePool> pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EC2NodeClass> classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1PodDisruptionBudget> budgets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1DaemonSet> daemonSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Namespace> namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ConfigMap> configMaps = new(StringComparer.Ordinal);
    private GpuOperatorConfig? gpuOperator;
    private readonly List<ClusterEvent> events = [];
    private ClusterSnapshot? cached;

    /// <summary>A pod the autoscaler removed, with how ("evict" or "delete"), checked by simulate's invariants.</summary>
    public event Action<V1Pod, string>? PodRemoved;

    /// <summary>Events recorded, oldest first (the last 10,000).</summary>
    public IReadOnlyList<ClusterEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Where the GPU Operator's ConfigMaps are and what they are called, as the service's settings say.</summary>
    public GpuOperatorSource GpuOperatorSource { get; init; } = GpuOperatorSource.ByContent;

    /// <inheritdoc />
    public Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken) => Task.FromResult(Snapshot());

    /// <summary>The current state, for readers inside a write's callback (simulate's invariant checks).</summary>
    public ClusterSnapshot Snapshot()
    {
        lock (gate)
        {
            // Objects are never changed once stored, so a snapshot stays valid until the next write.
            cached ??= new ClusterSnapshot(
                [.. pods.Values], [.. nodes.Values], [.. claims.Values], [.. pools.Values], [.. classes.Values],
                [.. budgets.Values.Select(WithStatus)], [.. daemonSets.Values])
            {
                Namespaces = [.. namespaces.Values],
                // Read again only when a ConfigMap changed, as the service's port does.
                GpuOperator = gpuOperator ??= configMaps.Count == 0 ? GpuOperatorConfig.Defaults : GpuOperatorConfig.From(configMaps.Values, GpuOperatorSource),
            };
            return cached;
        }
    }

    /// <inheritdoc />
    public Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            cached = null;
            if (claims.TryGetValue(claim.Metadata.Name, out var existing))
            {
                return Task.FromResult(existing);
            }

            var copy = Copy(claim);
            copy.Metadata.CreationTimestamp = time.GetUtcNow().UtcDateTime;
            copy.Metadata.Uid = Guid.NewGuid().ToString();
            claims[copy.Metadata.Name] = copy;
            return Task.FromResult(copy);
        }
    }

    /// <inheritdoc />
    public Task UpdateNodeClaimMetadataAsync(string name, IDictionary<string, string>? labels, IDictionary<string, string>? annotations, IList<string>? finalizers, CancellationToken cancellationToken)
    {
        ChangeMetadata(claims, name, metadata =>
        {
            metadata.Labels = labels is null ? metadata.Labels : new Dictionary<string, string>(labels);
            metadata.Annotations = annotations is null ? metadata.Annotations : new Dictionary<string, string>(annotations);
            metadata.Finalizers = finalizers is null ? metadata.Finalizers : [.. finalizers];
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateNodeClaimStatusAsync(string name, NodeClaimStatus status, CancellationToken cancellationToken)
    {
        Change(claims, name, claim => claim.Status = Copy(status));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateNodeClassStatusAsync(string name, EC2NodeClassStatus status, CancellationToken cancellationToken)
    {
        Change(classes, name, nodeClass => nodeClass.Status = Copy(status));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateNodeClassFinalizersAsync(string name, IList<string> finalizers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finalizers);
        ChangeMetadata(classes, name, metadata => metadata.Finalizers = [.. finalizers]);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateNodePoolStatusAsync(string name, NodePoolStatus status, CancellationToken cancellationToken)
    {
        Change(pools, name, pool => pool.Status = Copy(status));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteNodeClaimAsync(string name, CancellationToken cancellationToken)
    {
        Delete(claims, name);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PatchNodeAsync(string name, NodePatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        lock (gate)
        {
            if (!nodes.TryGetValue(name, out var current))
            {
                return Task.CompletedTask;
            }

            var node = Copy(current);
            node.Spec ??= new V1NodeSpec();
            node.Metadata.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in patch.Labels ?? new Dictionary<string, string>())
            {
                node.Metadata.Labels[key] = value;
            }

            node.Spec.Taints = patch.TaintsAfter(node.Spec.Taints) ?? node.Spec.Taints;
            node.Spec.Unschedulable = patch.Unschedulable ?? node.Spec.Unschedulable;
            var finalizers = patch.FinalizersAfter(node.Metadata.Finalizers);
            if (node.Metadata.DeletionTimestamp is not null && finalizers?.Except(node.Metadata.Finalizers ?? []).Any() == true)
            {
                // As the API server answers: 422, "no new finalizers can be added if the object is being deleted".
                throw new InvalidOperationException($"Node/{name}: no new finalizers can be added if the object is being deleted");
            }

            node.Metadata.Finalizers = finalizers ?? node.Metadata.Finalizers;
            node.Metadata.OwnerReferences = patch.OwnersAfter(node.Metadata.OwnerReferences) ?? node.Metadata.OwnerReferences;
            cached = null;
            if (node.Metadata.DeletionTimestamp is not null && (node.Metadata.Finalizers?.Count ?? 0) == 0)
            {
                RemoveNodeLocked(name);
            }
            else
            {
                nodes[name] = WithConditionTaints(node);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteNodeAsync(string name, CancellationToken cancellationToken)
    {
        DeleteNode(name);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EvictionOutcome> EvictAsync(string ns, string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            cached = null;
            if (!pods.TryGetValue($"{ns}/{name}", out var pod))
            {
                return Task.FromResult(EvictionOutcome.Gone);
            }

            var pod0 = PodConverter.Convert(pod);
            foreach (var budget in budgets.Values.Select(WithStatus))
            {
                if (budget.Metadata.NamespaceProperty == ns && PodConverter.Selector(budget.Spec?.Selector).Matches(pod0.Labels) && budget.Status!.DisruptionsAllowed <= 0)
                {
                    return Task.FromResult(EvictionOutcome.Refused);
                }
            }

            pods.Remove($"{ns}/{name}");
            PodRemoved?.Invoke(pod, "evict");
            return Task.FromResult(EvictionOutcome.Evicted);
        }
    }

    /// <inheritdoc />
    public Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        V1Pod? pod;
        lock (gate)
        {
            cached = null;
            pods.TryGetValue($"{ns}/{name}", out pod);
        }

        RemovePod(ns, name);
        if (pod is not null)
        {
            PodRemoved?.Invoke(pod, "delete");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordEventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            events.Add(clusterEvent);
            if (events.Count > 10_000)
            {
                events.RemoveRange(0, events.Count - 10_000);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Adds or replaces a NodePool.</summary>
    public void Apply(NodePool pool) => Put(pools, pool.Metadata.Name, pool);

    /// <summary>Adds or replaces an EC2NodeClass.</summary>
    public void Apply(EC2NodeClass nodeClass) => Put(classes, nodeClass.Metadata.Name, nodeClass);

    /// <summary>Adds or replaces a PodDisruptionBudget.</summary>
    public void Apply(V1PodDisruptionBudget budget) => Put(budgets, $"{budget.Metadata.NamespaceProperty ?? "default"}/{budget.Metadata.Name}", budget);

    /// <summary>Adds or replaces a DaemonSet.</summary>
    public void Apply(V1DaemonSet daemonSet) => Put(daemonSets, $"{daemonSet.Metadata.NamespaceProperty ?? "default"}/{daemonSet.Metadata.Name}", daemonSet);

    /// <summary>Adds or replaces a ConfigMap (the GPU Operator's configs are read from these).</summary>
    public void Apply(V1ConfigMap configMap)
    {
        // One lock for both: a snapshot taken between them would cache the config read from the old maps again.
        lock (gate)
        {
            gpuOperator = null;
            cached = null;
            configMaps[$"{configMap.Metadata.NamespaceProperty ?? "default"}/{configMap.Metadata.Name}"] = Copy(configMap);
        }
    }

    /// <summary>Adds or replaces a namespace.</summary>
    public void Apply(V1Namespace ns) => Put(namespaces, ns.Metadata.Name, ns);

    /// <summary>Adds or replaces a pod.</summary>
    public void Apply(V1Pod pod)
    {
        pod.Metadata.NamespaceProperty ??= "default";
        pod.Metadata.CreationTimestamp ??= time.GetUtcNow().UtcDateTime;
        Put(pods, ClusterView.Id(pod), pod);
    }

    /// <summary>Adds or replaces a node (a kubelet registering or reporting its status).</summary>
    public void Apply(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        lock (gate)
        {
            cached = null;
            var copy = Copy(node);
            copy.Metadata.CreationTimestamp ??= time.GetUtcNow().UtcDateTime;
            nodes[node.Metadata.Name] = WithConditionTaints(copy);
        }
    }

    /// <summary>Deletes an EC2NodeClass: with finalizers it is only marked until they go.</summary>
    public void DeleteNodeClass(string name) => Delete(classes, name);

    /// <summary>Removes a pod.</summary>
    public void RemovePod(string ns, string name)
    {
        lock (gate)
        {
            cached = null;
            pods.Remove($"{ns}/{name}");
        }
    }

    /// <summary>
    /// Deletes a node (kubectl delete node, the cloud node lifecycle controller): with finalizers it is only marked until
    /// they go; once it is gone its pods go with it, as the pod garbage collector would.
    /// </summary>
    public void DeleteNode(string name) => Delete(nodes, name, () => RemovePodsOfLocked(name));

    /// <summary>Binds a pod to a node (the scheduler's write).</summary>
    public void Bind(string podId, string node) => Change(pods, podId, pod =>
    {
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus { Phase = "Running", StartTime = time.GetUtcNow().UtcDateTime };
    });

    /// <summary>Sets a pod's phase (a job finishing).</summary>
    public void SetPhase(string podId, string phase) =>
        Change(pods, podId, pod => pod.Status = new V1PodStatus { Phase = phase, StartTime = pod.Status?.StartTime });

    /// <summary>Changes a node through a copy (kubelet status updates).</summary>
    public void UpdateNode(string name, Action<V1Node> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Change(nodes, name, node =>
        {
            change(node);
            WithConditionTaints(node);
        });
    }

    private void RemoveNodeLocked(string name)
    {
        nodes.Remove(name);
        RemovePodsOfLocked(name);
    }

    private void RemovePodsOfLocked(string name)
    {
        foreach (var key in pods.Where(kv => kv.Value.Spec?.NodeName == name).Select(kv => kv.Key).ToList())
        {
            pods.Remove(key);
        }
    }

    /// <summary>
    /// The node with the taints its Ready condition brings: the API server's TaintNodesByCondition admission puts
    /// not-ready (NoSchedule) on every new node, and kube-controller-manager's node lifecycle controller keeps it while
    /// Ready is False (unreachable while it is Unknown) and removes both once Ready is True.
    /// </summary>
    private static V1Node WithConditionTaints(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        var wanted = ready switch
        {
            "True" => null,
            "Unknown" => WellKnownTaints.Unreachable,
            _ => WellKnownTaints.NotReady,
        };
        var taints = (node.Spec?.Taints ?? []).Where(t => t.Key is not (WellKnownTaints.NotReady or WellKnownTaints.Unreachable) || t.Key == wanted).ToList();
        if (wanted is not null && !taints.Any(t => t.Key == wanted && t.Effect == TaintEffects.NoSchedule))
        {
            taints.Add(new V1Taint { Key = wanted, Effect = TaintEffects.NoSchedule });
        }

        node.Spec ??= new V1NodeSpec();
        node.Spec.Taints = taints.Count == 0 && node.Spec.Taints is null ? null : taints;
        return node;
    }

    /// <summary>Deletes as the API server does: an object with finalizers is only marked (deletionTimestamp) until they go.</summary>
    private void Delete<T>(Dictionary<string, T> store, string key, Action? removed = null)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (gate)
        {
            if (!store.TryGetValue(key, out var current) || current.Metadata.DeletionTimestamp is not null)
            {
                return;
            }

            cached = null;
            if ((current.Metadata.Finalizers?.Count ?? 0) == 0)
            {
                store.Remove(key);
                removed?.Invoke();
                return;
            }

            var copy = Copy(current);
            copy.Metadata.DeletionTimestamp = time.GetUtcNow().UtcDateTime;
            store[key] = copy;
        }
    }

    /// <summary>Changes a stored object's metadata through a copy; one being deleted goes once it has no finalizer left.</summary>
    private void ChangeMetadata<T>(Dictionary<string, T> store, string key, Action<V1ObjectMeta> change)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        lock (gate)
        {
            if (!store.TryGetValue(key, out var current))
            {
                return;
            }

            cached = null;
            var copy = Copy(current);
            change(copy.Metadata);
            if (copy.Metadata.DeletionTimestamp is not null && (copy.Metadata.Finalizers?.Count ?? 0) == 0)
            {
                store.Remove(key);
            }
            else
            {
                store[key] = copy;
            }
        }
    }

    /// <summary>Replaces a stored object by a changed copy; the stored one is never touched (snapshots hold it).</summary>
    private void Change<T>(Dictionary<string, T> store, string key, Action<T> change)
    {
        lock (gate)
        {
            if (store.TryGetValue(key, out var current))
            {
                var copy = Copy(current);
                change(copy);
                store[key] = copy;
                cached = null;
            }
        }
    }

    private void Put<T>(Dictionary<string, T> store, string key, T value)
    {
        lock (gate)
        {
            cached = null;
            store[key] = Copy(value);
        }
    }

    /// <summary>The budget with status.disruptionsAllowed from its healthy (bound, running) pods.</summary>
    private V1PodDisruptionBudget WithStatus(V1PodDisruptionBudget budget)
    {
        var ns = budget.Metadata.NamespaceProperty ?? "default";
        var selector = PodConverter.Selector(budget.Spec?.Selector);
        var matching = pods.Values.Where(p => p.Metadata.NamespaceProperty == ns && selector.Matches(PodConverter.Convert(p).Labels) && !ClusterView.IsTerminal(p)).ToList();
        var healthy = matching.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata.DeletionTimestamp is null);
        var expected = matching.Count;
        int desired;
        if (budget.Spec?.MinAvailable is { } min)
        {
            desired = Resolve(min, expected, roundUp: true);
        }
        else if (budget.Spec?.MaxUnavailable is { } max)
        {
            desired = expected - Resolve(max, expected, roundUp: true);
        }
        else
        {
            desired = expected;
        }

        var copy = Copy(budget);
        copy.Status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = Math.Max(0, healthy - desired),
        };
        return copy;
    }

    private static int Resolve(IntOrString value, int total, bool roundUp)
    {
        var text = value.Value ?? "0";
        if (text.EndsWith('%'))
        {
            var percent = double.Parse(text.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) / 100 * total;
            return (int)(roundUp ? Math.Ceiling(percent) : Math.Floor(percent));
        }

        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
