using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// What a real cluster runs beside the autoscaler, played against the real API server for the instances the
/// autoscaler launches in moto, four times a second:
/// <list type="bullet">
/// <item>the kubelet of each running instance registers its Node once, after a second of boot: the instance's
/// providerID, the type's capacity, NotReady (its CNI is not up), tainted <c>karpenter.sh/unregistered</c> as the
/// node class's user data asks (the API server adds <c>node.kubernetes.io/not-ready</c> itself). After
/// <see cref="NotReadyFor"/> it reports Ready. It runs the pods bound to it and confirms the deletion of pods being
/// deleted (evicted) on it. It never registers again, and a terminated instance's kubelet does nothing more;</item>
/// <item>the node lifecycle controller (left out of this control plane) removes the not-ready taint from a Ready node;</item>
/// <item>kube-scheduler binds each pending pod of the test namespace to a Ready node whose taints it tolerates and
/// whose allocatable holds it.</item>
/// </list>
/// Every write keeps the resourceVersion it read, so it never undoes what the autoscaler wrote meanwhile; a conflict
/// waits for the next tick. It also keeps the high-water marks a test asserts on: NodeClaims and instances alive at once.
/// </summary>
internal sealed class ClusterStandIn : IAsyncDisposable
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();
    private static readonly TimeSpan BootTime = TimeSpan.FromSeconds(1);

    private readonly IKubernetes client;
    private readonly IAmazonEC2 ec2;
    private readonly string clusterName;
    private readonly string podNamespace;
    private readonly ConcurrentDictionary<string, DateTimeOffset> firstSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> registered = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> log = new();
    private readonly IReadOnlyList<Core.Catalog.InstanceType> types = new ResolvedTypes().For(Catalog, null, new HashSet<(string, string, string)>());
    private readonly BackgroundLoop loop;
    private int liveClaims;
    private int liveInstances;

    public ClusterStandIn(IKubernetes client, IAmazonEC2 ec2, string clusterName, string podNamespace)
    {
        this.client = client;
        this.ec2 = ec2;
        this.clusterName = clusterName;
        this.podNamespace = podNamespace;
        loop = new BackgroundLoop(LoopAsync);
    }

    /// <summary>How long a new node stays NotReady after it registers (on EKS 10-60 s, while the CNI starts).</summary>
    public TimeSpan NotReadyFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most NodeClaims not being deleted seen at one time.</summary>
    public int MostLiveNodeClaims => Volatile.Read(ref liveClaims);

    /// <summary>The most pending or running instances tagged for the cluster seen at one time.</summary>
    public int MostLiveInstances => Volatile.Read(ref liveInstances);

    /// <summary>When each node (by name) was registered.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Registered => registered;

    /// <summary>What it did, in order, and the last error of a tick, for failure messages.</summary>
    public string Log => string.Join("\n", log);

    /// <summary>Every instance tagged for the cluster, in any state, as moto describes it.</summary>
    public async Task<IReadOnlyList<Instance>> InstancesAsync(CancellationToken cancellationToken = default)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter($"tag:kubernetes.io/cluster/{clusterName}", ["owned"])],
        }, cancellationToken).ConfigureAwait(false);
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
    }

    /// <summary>The NodeClaims the API server holds.</summary>
    public async Task<IReadOnlyList<NodeClaim>> NodeClaimsAsync(CancellationToken cancellationToken = default) =>
        [.. (await client.CustomObjects.ListClusterCustomObjectAsync<Platform.Autoscaler.Kubernetes.CustomObjectList<NodeClaim>>(
            NodeClaim.Group, NodeClaim.Version, NodeClaim.Plural, cancellationToken: cancellationToken).ConfigureAwait(false)).Items];

    public static bool Running(Instance instance) => instance.State?.Name?.Value is "pending" or "running";

    public static string ProviderId(Instance instance) => $"aws:///{instance.Placement.AvailabilityZone}/{instance.InstanceId}";

    public ValueTask DisposeAsync() => loop.DisposeAsync();

    private void Note(string what) => log.Enqueue($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {what}");

    private async Task LoopAsync(CancellationToken stop)
    {
        string? lastError = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stop);
                lastError = null;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // A conflict with the autoscaler's write, or anything else: noted, and the next tick starts afresh.
                var error = e is HttpOperationException http ? $"{http.Response.StatusCode}: {http.Response.Content}" : $"{e.GetType().Name}: {e.Message}";
                if (error != lastError)
                {
                    Note($"tick failed (again next tick): {error}");
                }

                lastError = error;
            }

            await Task.Delay(250, stop);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var instances = await InstancesAsync(cancellationToken);
        var claims = await NodeClaimsAsync(cancellationToken);
        Raise(ref liveInstances, instances.Count(Running));
        Raise(ref liveClaims, claims.Count(c => c.Metadata.DeletionTimestamp is null));

        var nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
        var running = instances.Where(Running).ToDictionary(ProviderId, StringComparer.Ordinal);
        foreach (var (providerId, instance) in running)
        {
            var first = firstSeen.GetOrAdd(providerId, now);
            if (now - first >= BootTime && !registered.ContainsKey(NodeName(instance)))
            {
                await RegisterAsync(instance, cancellationToken);
            }
        }

        foreach (var node in nodes.Where(n => registered.ContainsKey(n.Metadata.Name) && running.ContainsKey(n.Spec?.ProviderID ?? "")))
        {
            await ReportAsync(node, now - registered[node.Metadata.Name] >= NotReadyFor, cancellationToken);
        }

        nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
        var pods = (await client.CoreV1.ListNamespacedPodAsync(podNamespace, cancellationToken: cancellationToken)).Items;
        var alive = nodes.Where(n => running.ContainsKey(n.Spec?.ProviderID ?? "")).Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Spec.NodeName is { } node && alive.Contains(node)))
        {
            await RunPodAsync(pod, cancellationToken);
        }

        foreach (var pod in pods.Where(p => p.Spec.NodeName is null && p.Metadata.DeletionTimestamp is null))
        {
            await ScheduleAsync(pod, nodes, pods, cancellationToken);
        }
    }

    private static string NodeName(Instance instance) => "ip-" + instance.InstanceId;

    private static void Raise(ref int mark, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref mark)) && Interlocked.CompareExchange(ref mark, value, seen) != seen)
        {
        }
    }

    private async Task RegisterAsync(Instance instance, CancellationToken cancellationToken)
    {
        var type = types.Single(t => t.Name == instance.InstanceType.Value);
        var cloud = new CloudInstance(ProviderId(instance), null, type.Name, instance.Placement.AvailabilityZone, "on-demand", 0,
            new DateTimeOffset(instance.LaunchTime ?? DateTime.UnixEpoch, TimeSpan.Zero));
        var node = KubeletNode.For(cloud, type, [new V1Taint { Key = WellKnownTaints.Unregistered, Effect = TaintEffects.NoExecute }]);
        node.Metadata.Name = NodeName(instance);
        node.Metadata.Labels[WellKnownLabels.Hostname] = node.Metadata.Name;
        node.Status.Addresses = [new V1NodeAddress { Type = "InternalIP", Address = instance.PrivateIpAddress ?? "10.1.1.10" }];
        try
        {
            await client.CoreV1.CreateNodeAsync(node, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // registered by an earlier tick whose answer was lost
        }

        registered[node.Metadata.Name] = TimeProvider.System.GetUtcNow();
        Note($"kubelet registered Node/{node.Metadata.Name} ({cloud.ProviderId}), NotReady");
    }

    /// <summary>The kubelet's Ready condition, then the node lifecycle controller's taint: each only when it differs.</summary>
    private async Task ReportAsync(V1Node node, bool ready, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name;
        var reported = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
        if (reported != ready)
        {
            KubeletNode.SetReady(node, ready ? KubeletNode.Ready() : KubeletNode.NotReady());
            node = await client.CoreV1.ReplaceNodeStatusAsync(node, name, cancellationToken: cancellationToken);
            Note($"kubelet reports Node/{name} {(ready ? "Ready" : "NotReady")}");
        }

        if (ready && node.Spec?.Taints?.Any(t => t.Key == WellKnownTaints.NotReady) == true)
        {
            node.Spec.Taints = [.. node.Spec.Taints.Where(t => t.Key != WellKnownTaints.NotReady)];
            await client.CoreV1.ReplaceNodeAsync(node, name, cancellationToken: cancellationToken);
            Note($"node lifecycle controller removed {WellKnownTaints.NotReady} from Node/{name}");
        }
    }

    /// <summary>The kubelet: a bound pod runs; a pod being deleted is confirmed gone once its containers stopped (at once).</summary>
    private async Task RunPodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions
            {
                GracePeriodSeconds = 0,
                Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid },
            }, cancellationToken: cancellationToken);
            Note($"kubelet on Node/{pod.Spec.NodeName} ended Pod/{ns}/{name}");
            return;
        }

        if (pod.Status?.Phase == "Running")
        {
            return;
        }

        var at = TimeProvider.System.GetUtcNow().UtcDateTime;
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["startTime"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["conditions"] = new JsonArray(
                    Condition("PodScheduled"), Condition("Initialized"), Condition("ContainersReady"), Condition("Ready")),
            },
        };
        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
        Note($"kubelet on Node/{pod.Spec.NodeName} runs Pod/{ns}/{name}");

        JsonObject Condition(string type) => new() { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) };
    }

    /// <summary>kube-scheduler's filters that matter here: Ready, schedulable, taints tolerated, requests within what is left.</summary>
    private async Task ScheduleAsync(V1Pod pod, IList<V1Node> nodes, IList<V1Pod> pods, CancellationToken cancellationToken)
    {
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            if (node.Metadata.DeletionTimestamp is not null || node.Spec?.Unschedulable == true
                || node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True"
                || (node.Spec?.Taints ?? []).Any(t => t.Effect is "NoSchedule" or "NoExecute" && !(pod.Spec.Tolerations ?? []).Any(x => Tolerates(x, t))))
            {
                continue;
            }

            var bound = pods.Where(p => p.Spec.NodeName == node.Metadata.Name).Append(pod).ToList();
            if (Fits(bound, node, "cpu") && Fits(bound, node, "memory") && bound.Count <= (Quantity(node.Status?.Allocatable, "pods") ?? 110))
            {
                await client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
                {
                    Metadata = new V1ObjectMeta { Name = pod.Metadata.Name },
                    Target = new V1ObjectReference { Kind = "Node", Name = node.Metadata.Name },
                }, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                Note($"kube-scheduler bound Pod/{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to Node/{node.Metadata.Name}");
                return;
            }
        }

        // As kube-scheduler says of a pod no node can take: what an autoscaler acts on.
        if (pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "Unschedulable") != true)
        {
            var unschedulable = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable",
                        ["message"] = $"0/{nodes.Count} nodes are available",
                        ["lastTransitionTime"] = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    }),
                },
            };
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(unschedulable.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
                pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            Note($"kube-scheduler: Pod/{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} Unschedulable");
        }
    }

    private static bool Fits(IEnumerable<V1Pod> pods, V1Node node, string resource) =>
        pods.Sum(p => p.Spec.Containers.Sum(c => Quantity(c.Resources?.Requests, resource) ?? 0)) <= (Quantity(node.Status?.Allocatable, resource) ?? 0);

    private static decimal? Quantity(IDictionary<string, ResourceQuantity>? quantities, string resource) =>
        quantities is not null && quantities.TryGetValue(resource, out var quantity) ? quantity.ToDecimal() : null;

    private static bool Tolerates(V1Toleration toleration, V1Taint taint) =>
        (string.IsNullOrEmpty(toleration.Effect) || toleration.Effect == taint.Effect)
        && (toleration.OperatorProperty == "Exists"
            ? string.IsNullOrEmpty(toleration.Key) || toleration.Key == taint.Key
            : toleration.Key == taint.Key && (toleration.Value ?? "") == (taint.Value ?? ""));
}
