using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;
using Platform.Autoscaler.Tests.Kubernetes;

namespace Platform.Autoscaler.Tests.EndToEnd;

/// <summary>
/// Everything around the autoscaler, acting on the fake API server's store directly as the other components of a
/// cluster would: a ReplicaSet keeping a deployment's pods, kube-scheduler binding pending pods first-fit, kubelets
/// registering a NotReady node for each running instance (the server adds the not-ready taint) and reporting it
/// Ready once its network is up (<see cref="NetworkReadyDelay"/>), the node lifecycle controller removing the
/// not-ready taint a little later (<see cref="TaintRemovalLag"/>) and marking a node whose kubelet died Unknown, the
/// cloud controller deleting nodes whose instance is gone, and the pod garbage collector removing pods of deleted
/// nodes. The cloud is in memory and outlives every process.
/// </summary>
internal sealed class EndToEndWorld : IDisposable
{
    public const string Namespace = "default";
    public const string App = "web";
    private const int MinAvailable = 2;

    private readonly IReadOnlyDictionary<string, InstanceType> types;
    private int sequence;

    public EndToEndWorld()
    {
        Server = new FakeApiServer(Clock);
        var catalog = BundledCatalog.Load();
        Cloud = new InMemoryCloud(catalog, Clock);
        types = new ResolvedTypes().For(catalog, null, new HashSet<(string, string, string)>()).ToDictionary(t => t.Name, StringComparer.Ordinal);
        Server.Store.Create(FakeResource.NodeClasses, null, Json("""
            {"apiVersion":"karpenter.k8s.aws/v1","kind":"EC2NodeClass","metadata":{"name":"default"},
             "spec":{"role":"node-role","amiSelectorTerms":[{"alias":"al2023@latest"}],
                     "subnetSelectorTerms":[{"tags":{"karpenter.sh/discovery":"e2e"}}],"securityGroupSelectorTerms":[{"tags":{"karpenter.sh/discovery":"e2e"}}]}}
            """));
        // No m5.2xlarge: the re-pack would put all seven pods on one, and the three left after the scale-down could
        // then never leave it (evicting all three at once breaks the PDB), so there would be no consolidation to test.
        Server.Store.Create(FakeResource.NodePools, null, Json("""
            {"apiVersion":"karpenter.sh/v1","kind":"NodePool","metadata":{"name":"default"},
             "spec":{"template":{"spec":{"nodeClassRef":{"group":"karpenter.k8s.aws","kind":"EC2NodeClass","name":"default"},
                     "requirements":[{"key":"node.kubernetes.io/instance-type","operator":"In","values":["m5.large","m5.xlarge"]},
                                     {"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]},
                                     {"key":"topology.kubernetes.io/zone","operator":"In","values":["us-east-1a"]}]}},
                     "disruption":{"consolidationPolicy":"WhenEmptyOrUnderutilized","consolidateAfter":"0s","budgets":[{"nodes":"100%"}]}}}
            """));
        // Two of the deployment's three pods must stay up: a second eviction is refused (429) until the first evicted
        // pod runs again elsewhere.
        Server.Put(FakeResource.DisruptionBudgets, ClusterObjects.Budget(Namespace, App, new Dictionary<string, string> { ["app"] = App }, minAvailable: MinAvailable));
    }

    private readonly Dictionary<string, DateTimeOffset> readyAt = new(StringComparer.Ordinal);

    /// <summary>How long a registered node stays NotReady while its CNI starts (10-60 s on EKS).</summary>
    public TimeSpan NetworkReadyDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long after the kubelet reports Ready the node lifecycle controller removes the not-ready taint (its 5 s monitor period).</summary>
    public TimeSpan TaintRemovalLag { get; init; } = TimeSpan.FromSeconds(5);

    public VirtualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public FakeApiServer Server { get; }

    public InMemoryCloud Cloud { get; }

    /// <summary>How many pods the deployment wants.</summary>
    public int Replicas { get; set; }

    public IReadOnlyList<V1Pod> Pods => Read<V1Pod>(FakeResource.Pods);

    public IReadOnlyList<V1Node> Nodes => Read<V1Node>(FakeResource.Nodes);

    public IReadOnlyList<NodeClaim> NodeClaims => Read<NodeClaim>(FakeResource.NodeClaims);

    /// <summary>One turn of every other component.</summary>
    public void Step()
    {
        var running = Cloud.All.Where(i => i.Running).ToDictionary(i => i.ProviderId, StringComparer.Ordinal);
        foreach (var node in Nodes.Where(n => !running.ContainsKey(n.Spec?.ProviderID ?? "") && n.Metadata.DeletionTimestamp is null))
        {
            SetReady(node.Metadata.Name, KubeletNode.Unknown());
            Server.Store.Delete(FakeResource.Nodes, null, node.Metadata.Name);
        }

        var now = Clock.GetUtcNow();
        foreach (var node in Nodes.Where(n => running.ContainsKey(n.Spec?.ProviderID ?? "") && n.Metadata.DeletionTimestamp is null))
        {
            var name = node.Metadata.Name;
            if (!readyAt.ContainsKey(name) && now - node.Metadata.CreationTimestamp!.Value.AsUtc() >= NetworkReadyDelay)
            {
                SetReady(name, KubeletNode.Ready());
                readyAt[name] = now;
            }
            else if (readyAt.TryGetValue(name, out var at) && now - at >= TaintRemovalLag && node.Spec.Taints?.Any(t => t.Key == WellKnownTaints.NotReady) == true)
            {
                var taints = new JsonArray([.. node.Spec.Taints.Where(t => t.Key != WellKnownTaints.NotReady).Select(t => JsonNode.Parse(KubernetesJson.Serialize(t)))]);
                Server.Store.Patch(FakeResource.Nodes, null, name, new JsonObject { ["spec"] = new JsonObject { ["taints"] = taints } }, status: false);
            }
        }

        var nodes = Nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        foreach (var pod in Pods.Where(p => p.Spec?.NodeName is { Length: > 0 } node && !nodes.ContainsKey(node)))
        {
            Server.Store.Delete(FakeResource.Pods, Namespace, pod.Metadata.Name);
        }

        var known = nodes.Values.Select(n => n.Spec?.ProviderID).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in running.Values.Where(i => !known.Contains(i.ProviderId)))
        {
            Register(instance);
        }

        Replicate();
        Schedule();
        UpdateBudget();
    }

    /// <summary>The deployment's live pods: created and not being deleted.</summary>
    public IReadOnlyList<V1Pod> LivePods() => [.. Pods.Where(p => p.Metadata.DeletionTimestamp is null)];

    public void Dispose() => Server.Dispose();

    private void Replicate()
    {
        var live = LivePods().OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        for (var i = live.Count; i < Replicas; i++)
        {
            var pod = new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{App}-{++sequence:d4}",
                    NamespaceProperty = Namespace,
                    Labels = new Dictionary<string, string> { ["app"] = App },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = App, Uid = "rs-web", Controller = true }],
                    CreationTimestamp = Clock.GetUtcNow().UtcDateTime,
                },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container
                    {
                        Name = "app", Image = "web:1",
                        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") } },
                    }],
                },
                Status = new V1PodStatus { Phase = "Pending" },
            };
            Server.Put(FakeResource.Pods, pod);
        }

        // A scale-down removes pending pods first, then pods sharing a node with more of their replicas, then the
        // newest, as a ReplicaSet ranks them: what remains is spread over the nodes.
        var perNode = live.Where(p => p.Spec?.NodeName is { Length: > 0 }).GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        for (var excess = live.Count - Replicas; excess > 0; excess--)
        {
            var pod = live.OrderBy(p => p.Spec?.NodeName is { Length: > 0 } ? 1 : 0)
                .ThenByDescending(p => p.Spec?.NodeName is { Length: > 0 } node ? perNode[node] : 0)
                .ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal)
                .First();
            live.Remove(pod);
            if (pod.Spec?.NodeName is { Length: > 0 } on)
            {
                perNode[on]--;
            }

            Server.Store.Delete(FakeResource.Pods, Namespace, pod.Metadata.Name);
        }
    }

    /// <summary>kube-controller-manager's disruption controller: the budget's status from the healthy pods.</summary>
    private void UpdateBudget()
    {
        var healthy = LivePods().Count(p => p.Status?.Phase == "Running");
        Server.Store.Patch(FakeResource.DisruptionBudgets, Namespace, App, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["currentHealthy"] = healthy, ["desiredHealthy"] = MinAvailable, ["expectedPods"] = Replicas,
                ["disruptionsAllowed"] = Math.Max(0, healthy - MinAvailable), ["observedGeneration"] = 1,
            },
        }, status: true);
    }

    private void Schedule()
    {
        var pods = LivePods();
        var used = pods.Where(p => p.Spec?.NodeName is { Length: > 0 }).GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(Cpu), StringComparer.Ordinal);
        var nodes = Nodes
            .Where(n => n.Metadata.DeletionTimestamp is null && n.Spec?.Unschedulable != true
                && n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true
                && !(n.Spec?.Taints ?? []).Any(t => t.Effect is "NoSchedule" or "NoExecute"))
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var pod in pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var fit = nodes.FirstOrDefault(n => n.Status.Allocatable["cpu"].ToDecimal() - used.GetValueOrDefault(n.Metadata.Name) >= Cpu(pod));
            if (fit is null)
            {
                continue;
            }

            used[fit.Metadata.Name] = used.GetValueOrDefault(fit.Metadata.Name) + Cpu(pod);
            Server.Store.Bind(Namespace, pod.Metadata.Name, new JsonObject { ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = fit.Metadata.Name } });
            Server.Store.Patch(FakeResource.Pods, Namespace, pod.Metadata.Name, Json("""{"status":{"phase":"Running"}}"""), status: true);
        }
    }

    private void SetReady(string node, V1NodeCondition ready) =>
        Server.Store.Patch(FakeResource.Nodes, null, node,
            new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(ready))) } }, status: true);

    private void Register(CloudInstance instance) =>
        Server.Put(FakeResource.Nodes, KubeletNode.For(instance, types[instance.InstanceType], [new V1Taint { Key = WellKnownTaints.Unregistered, Effect = "NoExecute" }]));

    private static decimal Cpu(V1Pod pod) => pod.Spec.Containers.Sum(c => c.Resources?.Requests?.TryGetValue("cpu", out var q) == true ? q.ToDecimal() : 0);

    private IReadOnlyList<T> Read<T>(FakeResource resource) =>
        [.. Server.Store.Items(resource).Select(o => KubernetesJson.Deserialize<T>(o.ToJsonString()))];

    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;
}
