using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Planning;
using CorePod = Platform.Autoscaler.Core.Model.Pod;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// A snapshot read the way the solver and disruption see it. A NodeClaim is in flight until its node registers and
/// counts with the capacity it expects; a node still initializing also counts with the capacity it expects (its GPUs
/// appear only when the device plugin starts). Pods on nodes being deleted need a new place, so they are
/// provisionable like pending pods: that is how replacements are bought before the drain ends.
/// </summary>
public sealed class ClusterView
{
    private ClusterView(ClusterSnapshot snapshot) => Snapshot = snapshot;

    /// <summary>The snapshot.</summary>
    public ClusterSnapshot Snapshot { get; }

    /// <summary>NodeClaims by name.</summary>
    public IReadOnlyDictionary<string, NodeClaim> Claims { get; private init; } = new Dictionary<string, NodeClaim>();

    /// <summary>Each NodeClaim's node, when it registered.</summary>
    public IReadOnlyDictionary<string, V1Node> NodeOfClaim { get; private init; } = new Dictionary<string, V1Node>();

    /// <summary>Each registered node's NodeClaim, by node name.</summary>
    public IReadOnlyDictionary<string, NodeClaim> ClaimOfNode { get; private init; } = new Dictionary<string, NodeClaim>();

    /// <summary>Bound pods by node name.</summary>
    public ILookup<string, V1Pod> PodsOnNode { get; private init; } = Array.Empty<V1Pod>().ToLookup(p => "");

    /// <summary>Pools with their instance types, usage and daemon overhead.</summary>
    public IReadOnlyList<NodePoolTemplate> Pools { get; private init; } = [];

    /// <summary>Nodes and in-flight NodeClaims pods may go to (nodes being deleted excluded).</summary>
    public IReadOnlyList<ClusterNode> SchedulingNodes { get; private init; } = [];

    /// <summary>Pods that need a place: pending, or on a node being deleted.</summary>
    public IReadOnlyList<CorePod> Provisionable { get; private init; } = [];

    /// <summary>The Kubernetes pods behind <see cref="Provisionable"/>, by namespace/name.</summary>
    public IReadOnlyDictionary<string, V1Pod> ProvisionablePods { get; private init; } = new Dictionary<string, V1Pod>();

    /// <summary>Each namespace's labels, for pod affinity terms' namespaceSelectors.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; private init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Per provisionable pod (namespace/name) with any: the fields of its spec the solver does not model.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Unsupported { get; private init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Registered nodes the autoscaler owns, as disruption judges them.</summary>
    public IReadOnlyList<NodeState> Owned { get; private init; } = [];

    /// <summary>Nodes the autoscaler does not own (the system node group).</summary>
    public IReadOnlyList<ClusterNode> Unowned { get; private init; } = [];

    /// <summary>PodDisruptionBudgets with what they still allow.</summary>
    public IReadOnlyList<PodDisruptionBudget> Budgets { get; private init; } = [];

    /// <summary>Each pool's disruption settings.</summary>
    public IReadOnlyDictionary<string, DisruptionPolicy> Policies { get; private init; } = new Dictionary<string, DisruptionPolicy>();

    /// <summary>
    /// Pools whose GPU sharing cannot be planned (a layout or device plugin config the GPU Operator's configs lack, or
    /// one some of its GPU types cannot take), with why; they are left out, and their ValidationSucceeded says so.
    /// </summary>
    public IReadOnlyDictionary<string, string> GpuSharingProblems { get; private init; } = new Dictionary<string, string>();

    /// <summary>Objects left out because the autoscaler cannot use them; everything else is planned without them.</summary>
    public IReadOnlyList<UnusableObject> Unusable { get; private init; } = [];

    /// <summary>Builds the view.</summary>
    public static ClusterView Build(ClusterSnapshot snapshot, InstanceCatalog catalog, ResolvedTypes resolved,
        IReadOnlySet<(string InstanceType, string Zone, string CapacityType)> unavailable, ObjectChecks? checks = null)
    {
        checks ??= new ObjectChecks();
        var unusable = new List<UnusableObject>();
        bool Usable(V1Pod pod, string kind = "Pod")
        {
            if (PodChecks.Problem(pod.Spec) is not { } problem)
            {
                return true;
            }

            unusable.Add(new UnusableObject(kind, pod.Metadata?.NamespaceProperty ?? "default", pod.Metadata?.Name ?? "", problem));
            return false;
        }

        var claims = snapshot.NodeClaims.GroupBy(c => c.Metadata.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var nodesById = snapshot.Nodes.Where(n => !string.IsNullOrEmpty(n.Spec?.ProviderID))
            .GroupBy(n => n.Spec.ProviderID, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var nodeOfClaim = claims.Values
            .Where(c => c.Status?.ProviderID is { } id && nodesById.ContainsKey(id))
            .ToDictionary(c => c.Metadata.Name, c => nodesById[c.Status!.ProviderID!], StringComparer.Ordinal);
        var claimOfNode = nodeOfClaim.ToDictionary(kv => kv.Value.Metadata.Name, kv => claims[kv.Key], StringComparer.Ordinal);
        var live = snapshot.Pods.Where(p => !IsTerminal(p)).ToList();
        var podsOnNode = live.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).ToLookup(p => p.Spec.NodeName, StringComparer.Ordinal);

        var classes = snapshot.NodeClasses.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        foreach (var nodeClass in snapshot.NodeClasses)
        {
            if (checks.Problem(nodeClass) is { } problem)
            {
                // Treated as missing: its pools are left out, as for a class that is not Ready.
                unusable.Add(new UnusableObject(EC2NodeClass.KindName, null, nodeClass.Metadata.Name, problem));
                classes.Remove(nodeClass.Metadata.Name);
            }
        }

        var daemons = snapshot.DaemonSets
            .Select(d => new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = d.Metadata.Name, NamespaceProperty = d.Metadata.NamespaceProperty, Labels = d.Spec?.Template?.Metadata?.Labels },
                Spec = d.Spec?.Template?.Spec ?? new V1PodSpec(),
            })
            .Where(p => Usable(p, "DaemonSet"))
            .Select(PodConverter.Convert)
            .ToList();
        var policies = new Dictionary<string, DisruptionPolicy>(StringComparer.Ordinal);
        var sharingProblems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in snapshot.GpuOperator.Errors)
        {
            unusable.Add(new UnusableObject("ConfigMap", error.Namespace, error.Name, error.Error.ToString()));
        }

        var pools = new List<NodePoolTemplate>();
        foreach (var pool in snapshot.NodePools)
        {
            DisruptionPolicy? policy = null;
            var problem = checks.Problem(pool);
            try
            {
                policy = problem is null ? DisruptionPolicy.From(pool) : null;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                // Not planned, and its nodes are not disrupted while the autoscaler cannot read its rules.
                unusable.Add(new UnusableObject(NodePool.KindName, null, pool.Metadata.Name, problem));
                policies[pool.Metadata.Name] = DisruptionPolicy.Frozen(pool.Metadata.Name);
                continue;
            }

            policies[pool.Metadata.Name] = policy!;
            if (pool.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var nodeClass = classes.GetValueOrDefault(pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? "");
            if (nodeClass is null || nodeClass.Metadata.DeletionTimestamp is not null || NodeClassConditions.IsNotReady(nodeClass))
            {
                // Its launches would fail (no class, one being deleted, or one whose selectors match nothing): plan
                // the other pools. The class's status and events say why.
                continue;
            }

            var types = resolved.For(catalog, nodeClass, unavailable);
            var (sharing, sharingErrors) = GpuSharingCheck.Check(pool, snapshot.GpuOperator, types, s => resolved.Shared(types, s));
            if (sharing is null)
            {
                // Its nodes would not advertise what the plan counts on: left out until the pool or the configs change.
                var reason = string.Join("; ", sharingErrors);
                sharingProblems[pool.Metadata.Name] = reason;
                unusable.Add(new UnusableObject(NodePool.KindName, null, pool.Metadata.Name, reason));
                continue;
            }

            types = resolved.Shared(types, sharing).Offered;
            var owned = claims.Values.Where(c => PoolOf(c) == pool.Metadata.Name).ToList();
            var usage = owned.Aggregate(ResourceList.Empty, (sum, c) => sum.Add(ExpectedCapacity(c)));
            try
            {
                var template = NodePoolTemplate.From(pool, types, usage, owned.Count);
                pools.Add(template with { DaemonOverhead = PlanInputBuilder.DaemonOverhead(template, daemons) });
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                // The checks above refuse what this would throw on; should one slip through, it costs this pool only.
                unusable.Add(new UnusableObject(NodePool.KindName, null, pool.Metadata.Name, e.Message));
            }
        }

        var scheduling = new List<ClusterNode>();
        var provisionable = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        var ownedStates = new List<NodeState>();
        var unowned = new List<ClusterNode>();
        var poolSpecs = snapshot.NodePools.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var prices = catalog.InstanceTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var claim in claims.Values)
        {
            var deleting = claim.Metadata.DeletionTimestamp is not null;
            if (!nodeOfClaim.TryGetValue(claim.Metadata.Name, out var node))
            {
                if (!deleting)
                {
                    scheduling.Add(InFlight(claim));
                }

                continue;
            }

            var pods = podsOnNode[node.Metadata.Name].ToList();
            var clusterNode = AsOwned(PlanInputBuilder.Node(node, pods), claim);
            var disrupting = deleting || IsDisrupting(node);
            if (disrupting)
            {
                foreach (var pod in pods.Where(p => !IsDaemon(p) && p.Metadata.DeletionTimestamp is null))
                {
                    provisionable[Id(pod)] = pod;
                }
            }
            else
            {
                scheduling.Add(clusterNode);
            }

            ownedStates.Add(State(claim, node, clusterNode, pods, prices, poolSpecs, classes, disrupting));
        }

        foreach (var node in snapshot.Nodes.Where(n => !claimOfNode.ContainsKey(n.Metadata.Name) && !(n.Metadata.Labels?.ContainsKey(WellKnownLabels.NodePool) ?? false)))
        {
            var clusterNode = PlanInputBuilder.Node(node, podsOnNode[node.Metadata.Name]);
            if (IsReady(node) && node.Metadata.DeletionTimestamp is null)
            {
                scheduling.Add(clusterNode);
                unowned.Add(clusterNode);
            }
        }

        // Gated pods wait for their gates, not for capacity: kube-scheduler does not try them, and Karpenter does not
        // provision for them.
        foreach (var pod in live.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata.DeletionTimestamp is null && !IsDaemon(p) && !PlanInputBuilder.IsGated(p)))
        {
            provisionable[Id(pod)] = pod;
        }

        // A pod that cannot be read is not planned; one already bound keeps its node from being disrupted
        // (PlanInputBuilder.Node), since the autoscaler cannot tell what it uses.
        foreach (var pod in live.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)))
        {
            _ = Usable(pod);
        }

        foreach (var id in provisionable.Where(kv => !Usable(kv.Value)).Select(kv => kv.Key).ToList())
        {
            provisionable.Remove(id);
        }

        return new ClusterView(snapshot)
        {
            Claims = claims,
            NodeOfClaim = nodeOfClaim,
            ClaimOfNode = claimOfNode,
            PodsOnNode = podsOnNode,
            Pools = pools,
            SchedulingNodes = scheduling,
            ProvisionablePods = provisionable,
            Provisionable = [.. provisionable.Values.Select(PodConverter.Convert)],
            NamespaceLabels = snapshot.Namespaces.ToDictionary(
                n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()), StringComparer.Ordinal),
            Unsupported = provisionable.Select(kv => (kv.Key, Fields: UnsupportedPodFields.Of(kv.Value.Spec))).Where(x => x.Fields.Count > 0)
                .ToDictionary(x => x.Key, x => x.Fields, StringComparer.Ordinal),
            Owned = ownedStates,
            Unowned = unowned,
            Budgets = [.. snapshot.DisruptionBudgets.Select(b => new PodDisruptionBudget(
                b.Metadata.NamespaceProperty ?? "default", b.Metadata.Name, PodConverter.Selector(b.Spec?.Selector), b.Status?.DisruptionsAllowed ?? 0))],
            Policies = policies,
            Unusable = unusable,
            GpuSharingProblems = sharingProblems,
        };
    }

    /// <summary>namespace/name.</summary>
    public static string Id(V1Pod pod) => $"{pod.Metadata.NamespaceProperty ?? "default"}/{pod.Metadata.Name}";

    /// <summary>Succeeded or failed: it holds nothing.</summary>
    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>A daemonset or mirror pod: it is not drained and needs no new place.</summary>
    public static bool IsDaemon(V1Pod pod) =>
        pod.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") == true
        || pod.Metadata.Annotations?.ContainsKey("kubernetes.io/config.mirror") == true;

    /// <summary>The node's Ready condition is True.</summary>
    public static bool IsReady(V1Node node) => node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The node carries the disrupted taint: it is being drained.</summary>
    public static bool IsDisrupting(V1Node node) =>
        node.Metadata.DeletionTimestamp is not null || node.Spec?.Taints?.Any(t => t.Key == WellKnownTaints.Disrupted) == true;

    /// <summary>The NodeClaim's pool, from its label.</summary>
    public static string PoolOf(NodeClaim claim) => Get(claim.Metadata.Labels, WellKnownLabels.NodePool) ?? "";

    /// <summary>What the claim's node will offer: its status once launched, its requests before.</summary>
    public static ResourceList ExpectedAllocatable(NodeClaim claim) =>
        claim.Status?.Allocatable is { Count: > 0 } allocatable
            ? ResourceList.FromQuantities(allocatable)
            : ResourceList.FromQuantities(claim.Spec?.Resources?.Requests);

    /// <summary>
    /// What the claim counts toward its pool's limits: its capacity once launched, as Karpenter counts it; before that
    /// its allocatable if known, else its requests (the instance type is not chosen yet).
    /// </summary>
    public static ResourceList ExpectedCapacity(NodeClaim claim) =>
        claim.Status?.Capacity is { Count: > 0 } capacity ? ResourceList.FromQuantities(capacity) : ExpectedAllocatable(claim);

    private static ClusterNode InFlight(NodeClaim claim) => new()
    {
        Name = claim.Metadata.Name,
        NodePool = PoolOf(claim),
        Labels = WithClaimLabels(new Dictionary<string, string>(StringComparer.Ordinal) { [WellKnownLabels.Hostname] = claim.Metadata.Name }, claim),
        Taints = [.. (claim.Spec?.Taints ?? []).Where(t => !StartupTaints.IsEphemeral(t.Key, t.Effect))],
        Allocatable = ExpectedAllocatable(claim),
        Capacity = ExpectedCapacity(claim),
        InFlight = true,
    };

    /// <summary>
    /// <paramref name="labels"/> with the claim's labels over them, as registration syncs them onto the node, and each
    /// requirement that allows exactly one value where no label says otherwise.
    /// </summary>
    private static Dictionary<string, string> WithClaimLabels(Dictionary<string, string> labels, NodeClaim claim)
    {
        foreach (var (key, value) in claim.Metadata.Labels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        foreach (var r in claim.Spec?.Requirements ?? [])
        {
            if (r is { Operator: Operators.In, Values.Count: 1, Key: { } key })
            {
                labels.TryAdd(key, r.Values[0]);
            }
        }

        return labels;
    }

    /// <summary>
    /// An owned node as Karpenter's cluster state reads it (StateNode): until registration has synced them, it has its
    /// claim's labels and taints; until it is initialized, the taints every starting node carries for a while
    /// (not-ready, the cloud provider's uninitialized, unregistered ...) and the claim's startup taints are ignored, and
    /// a resource it does not report yet (GPUs before the device plugin starts) counts as the claim expects. A pod
    /// planned onto a node that is still NotReady therefore waits for it instead of buying a second one.
    /// </summary>
    private static ClusterNode AsOwned(ClusterNode node, NodeClaim claim)
    {
        var initialized = NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Initialized);
        var registered = NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Registered);
        var taints = node.Taints.ToList();
        if (!registered)
        {
            taints.AddRange((claim.Spec?.Taints ?? []).Where(t => !taints.Any(n => n.Key == t.Key && n.Effect == t.Effect)));
        }

        var expected = ExpectedAllocatable(claim);
        // Until initialized, GPU resources are what the claim expects, whatever the node says: a node whose MIG manager
        // has not split its GPUs yet reports them whole, and they will not stay so.
        var gpusExpected = expected.Names.Any(GpuSharing.IsGpuResource);
        return node with
        {
            NodePool = PoolOf(claim),
            Labels = registered ? node.Labels : WithClaimLabels(node.Labels.ToDictionary(StringComparer.Ordinal), claim),
            Taints = initialized ? taints : [.. taints.Where(t => !StartupTaints.Ignored(claim, t.Key, t.Effect))],
            Allocatable = initialized
                ? node.Allocatable
                : ResourceList.Of(node.Allocatable.Names.Union(expected.Names).Select(n => KeyValuePair.Create(n,
                    gpusExpected && GpuSharing.IsGpuResource(n) ? expected[n] : node.Allocatable[n] > 0 ? node.Allocatable[n] : expected[n]))),
            Capacity = claim.Status?.Capacity is { Count: > 0 } ? ExpectedCapacity(claim) : node.Capacity,
        };
    }

    private static NodeState State(NodeClaim claim, V1Node node, ClusterNode clusterNode, List<V1Pod> pods, Dictionary<string, InstanceTypeInfo> catalog,
        Dictionary<string, NodePool> pools, Dictionary<string, EC2NodeClass> classes, bool disrupting)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        var type = Get(labels, WellKnownLabels.InstanceType) ?? "";
        var zone = Get(labels, WellKnownLabels.Zone) ?? "";
        var capacity = Get(labels, WellKnownLabels.CapacityType) ?? "";
        var created = claim.Metadata.CreationTimestamp is { } c ? c.AsUtc() : DateTimeOffset.MinValue;
        return new NodeState
        {
            Node = clusterNode,
            NodePool = PoolOf(claim),
            NodeClaim = claim.Metadata.Name,
            InstanceType = type,
            CapacityType = capacity,
            Zone = zone,
            Price = Price(catalog, type, zone, capacity),
            CreatedAt = created,
            // A node that never held a pod is idle only from when it could hold one (Karpenter counts from the
            // NodeClaim's initialization too), not from when it was asked for.
            LastPodEventAt = claim.Status?.LastPodEventTime is { } last ? last.AsUtc() : NodeClaimConditions.Since(claim, NodeClaimConditions.Initialized) ?? created,
            Initialized = NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Initialized),
            Drifted = DriftCheck.Of(claim, labels, pools.GetValueOrDefault(PoolOf(claim)), classes) is not null,
            MarkedForDeletion = disrupting,
            DoNotDisrupt = Get(node.Metadata.Annotations, WellKnownAnnotations.DoNotDisrupt) == "true"
                || Get(claim.Metadata.Annotations, WellKnownAnnotations.DoNotDisrupt) == "true",
            DaemonPods = pods.Where(IsDaemon).Select(Id).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>A value of a Kubernetes string map, or null.</summary>
    public static string? Get(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;

    /// <summary>The catalog's price of an offering; 0 when the catalog no longer lists it.</summary>
    private static double Price(Dictionary<string, InstanceTypeInfo> catalog, string type, string zone, string capacity) =>
        catalog.GetValueOrDefault(type)?.Offerings.FirstOrDefault(o => o.Zone == zone && o.CapacityType == capacity)?.Price ?? 0;
}
