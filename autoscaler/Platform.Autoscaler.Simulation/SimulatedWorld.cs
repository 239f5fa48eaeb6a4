using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Planning;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// Everything around the autoscaler, on the virtual clock: workload controllers (Deployments follow their replica
/// timeline and replace lost pods; Job pods run for their time once bound and are restarted if killed), kubelets
/// (an instance's node registers after it boots; GPUs appear when the device plugin starts, as its config entry makes
/// them, and a node whose pool names a MIG layout gets it from the MIG manager two minutes later), the cloud's node
/// lifecycle (a node whose instance is gone is removed with its pods), kube-scheduler (pending pods bound where the
/// same solver finds room), and the scenario's faults. It also keeps the measurements and checks the invariants.
/// </summary>
public sealed class SimulatedWorld
{
    /// <summary>How long an instance takes from launch to a registered node.</summary>
    public static readonly TimeSpan BootTime = TimeSpan.FromSeconds(60);

    /// <summary>How long a registered node stays NotReady (with the not-ready taint) while its CNI starts.</summary>
    public static readonly TimeSpan NetworkReadyDelay = TimeSpan.FromSeconds(20);

    /// <summary>How long after registration the GPU device plugin advertises GPUs and startup taints go.</summary>
    public static readonly TimeSpan DevicePluginDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the MIG manager takes, once the device plugin is up, to split a node's GPUs (it stops the GPU clients,
    /// enables MIG mode, creates the instances and restarts the plugin; without a reboot).
    /// </summary>
    public static readonly TimeSpan MigManagerDelay = TimeSpan.FromMinutes(2);

    /// <summary>Spot's two-minute notice.</summary>
    public static readonly TimeSpan SpotNotice = TimeSpan.FromMinutes(2);

    private readonly Scenario scenario;
    private readonly InMemoryCluster cluster;
    private readonly InMemoryCloud cloud;
    private readonly VirtualClock clock;
    private readonly ScriptedInterruptions? interruptions;
    private readonly Dictionary<string, InstanceType> types;
    private readonly Random random;
    private readonly Dictionary<string, DateTimeOffset> created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> completions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> sequence = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset At, string ProviderId)> reclaims = [];
    private readonly HashSet<FaultSpec> fired = [];
    private readonly HashSet<string> seenDeleting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> migPending = new(StringComparer.Ordinal);

    /// <summary>Creates the world and applies the scenario's pools and budgets to the cluster.</summary>
    public SimulatedWorld(Scenario scenario, InMemoryCluster cluster, InMemoryCloud cloud, VirtualClock clock, InstanceCatalog catalog,
        ScriptedInterruptions? interruptions, Func<string, (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<V1Taint> Taints)?> staticGroup)
    {
        this.scenario = scenario;
        this.cluster = cluster;
        this.cloud = cloud;
        this.clock = clock;
        this.interruptions = interruptions;
        StaticGroup = staticGroup;
        random = new Random(scenario.Seed);
        types = catalog.InstanceTypes.ToDictionary(t => t.Name, t => InstanceTypeResolver.Resolve(t), StringComparer.Ordinal);
        cloud.NoCapacity = (offering, at) => scenario.Faults.Any(f => f.Kind == "InsufficientCapacity" && Matches(f, offering)
            && at >= scenario.Start + f.At && at < scenario.Start + f.Until);
        cluster.PodRemoved += OnPodRemoved;
    }

    /// <summary>For the static baseline: the labels and taints of the node group an instance belongs to (by its tag).</summary>
    public Func<string, (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<V1Taint> Taints)?> StaticGroup { get; }

    /// <summary>Pod pending times (created to bound), in seconds.</summary>
    public List<double> PendingSeconds { get; } = [];

    /// <summary>Pods bound.</summary>
    public int PodsPlaced { get; private set; }

    /// <summary>Breaches found, each described.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Spot interruptions the scenario sent.</summary>
    public int InterruptionsSent { get; private set; }

    /// <summary>Dollars spent so far.</summary>
    public double Cost { get; private set; }

    /// <summary>Spot instance-hours and all instance-hours.</summary>
    public (double Spot, double All) InstanceHours { get; private set; }

    /// <summary>Moves the world by one step: faults, workloads, the cloud's node lifecycle, kubelets, scheduler, bills.</summary>
    public async Task StepAsync(TimeSpan step, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var offset = now - scenario.Start;
        var instances = cloud.All;
        Faults(offset, instances);
        var snapshot = await cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        Workloads(snapshot, offset, step);
        Nodes(snapshot, instances, now);
        snapshot = await cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        Schedule(snapshot, now);
        CheckLimitsAndBudgets(snapshot, now);
        var running = instances.Where(i => i.Running).ToList();
        var hours = step.TotalHours;
        Cost += running.Sum(i => i.Price) * hours;
        InstanceHours = (InstanceHours.Spot + running.Count(i => i.CapacityType == WellKnownLabels.CapacityTypes.Spot) * hours, InstanceHours.All + running.Count * hours);
    }

    private static bool Matches(FaultSpec fault, OfferingKey offering) =>
        (fault.InstanceType is null || fault.InstanceType == offering.InstanceType)
        && (fault.InstanceFamily is null || offering.InstanceType.StartsWith(fault.InstanceFamily + ".", StringComparison.Ordinal))
        && (fault.Zone is null || fault.Zone == offering.Zone)
        && (fault.CapacityType is null || fault.CapacityType == offering.CapacityType);

    private void Faults(TimeSpan offset, IReadOnlyList<CloudInstance> instances)
    {
        var now = clock.GetUtcNow();
        foreach (var fault in scenario.Faults.Where(f => f.Kind != "InsufficientCapacity" && f.At <= offset && !fired.Contains(f)))
        {
            fired.Add(fault);
            var pool = instances.Where(i => i.Running && (fault.Kind == "NodeFailure" || i.CapacityType == WellKnownLabels.CapacityTypes.Spot))
                .OrderBy(i => i.ProviderId, StringComparer.Ordinal).ToList();
            foreach (var instance in pool.OrderBy(_ => random.Next()).Take(fault.Count))
            {
                if (fault.Kind == "NodeFailure")
                {
                    cloud.Reclaim(instance.ProviderId);
                    continue;
                }

                InterruptionsSent++;
                interruptions?.Enqueue(new InterruptionMessage(InterruptionKind.SpotInterruption, [instance.ProviderId.Split('/')[^1]], now));
                reclaims.Add((now + SpotNotice, instance.ProviderId));
            }
        }

        foreach (var due in reclaims.Where(r => r.At <= now).ToList())
        {
            reclaims.Remove(due);
            cloud.Reclaim(due.ProviderId);
        }
    }

    private void Workloads(ClusterSnapshot snapshot, TimeSpan offset, TimeSpan step)
    {
        var byOwner = snapshot.Pods.GroupBy(p => Owner(p) ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var workload in scenario.Workloads)
        {
            var key = $"{workload.Namespace}/{workload.Name}";
            var pods = byOwner.GetValueOrDefault(key) ?? [];
            if (workload.Kind == "Deployment")
            {
                var desired = workload.DesiredAt(offset);
                var live = pods.Where(p => !ClusterView.IsTerminal(p)).ToList();
                for (var i = live.Count; i < desired; i++)
                {
                    NewPod(workload, key);
                }

                foreach (var extra in live.OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1).ThenByDescending(p => p.Metadata.CreationTimestamp).Take(Math.Max(0, live.Count - desired)))
                {
                    cluster.RemovePod(extra.Metadata.NamespaceProperty, extra.Metadata.Name);
                }

                continue;
            }

            if (offset < workload.Start)
            {
                continue;
            }

            var done = completions.GetValueOrDefault(key);
            foreach (var pod in pods.Where(p => p.Status?.Phase == "Running" && p.Status.StartTime is { } started
                && clock.GetUtcNow() - started.AsUtc() >= workload.RunFor))
            {
                cluster.SetPhase(ClusterView.Id(pod), "Succeeded");
                done++;
            }

            completions[key] = done;
            var active = pods.Count(p => !ClusterView.IsTerminal(p));
            for (var i = active + done; i < workload.Parallelism; i++)
            {
                NewPod(workload, key);
            }
        }
    }

    private void NewPod(WorkloadSpec workload, string key)
    {
        var n = sequence[key] = sequence.GetValueOrDefault(key) + 1;
        var metadata = workload.Template.Metadata ?? new V1ObjectMeta();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{workload.Name}-{n:x5}",
                NamespaceProperty = workload.Namespace,
                Labels = new Dictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>()),
                Annotations = new Dictionary<string, string>(metadata.Annotations ?? new Dictionary<string, string>()) { ["simulate/owner"] = key },
                OwnerReferences = [new V1OwnerReference { ApiVersion = workload.Kind == "Job" ? "batch/v1" : "apps/v1", Kind = workload.Kind == "Job" ? "Job" : "ReplicaSet", Name = workload.Name, Uid = key }],
                CreationTimestamp = clock.GetUtcNow().UtcDateTime,
            },
            Spec = workload.Template.Spec,
            Status = new V1PodStatus { Phase = "Pending" },
        };
        cluster.Apply(pod);
        created[ClusterView.Id(pod)] = clock.GetUtcNow();
    }

    private static string? Owner(V1Pod pod) => ClusterView.Get(pod.Metadata.Annotations, "simulate/owner");

    private void Nodes(ClusterSnapshot snapshot, IReadOnlyList<CloudInstance> instances, DateTimeOffset now)
    {
        var running = instances.Where(i => i.Running).ToDictionary(i => i.ProviderId, StringComparer.Ordinal);
        foreach (var node in snapshot.Nodes.Where(n => !running.ContainsKey(n.Spec?.ProviderID ?? "") && n.Metadata.DeletionTimestamp is null))
        {
            // The kubelet died with its instance: the node lifecycle controller marks it Unknown, and the cloud node
            // lifecycle controller deletes it (its finalizer holds it until the autoscaler lets go).
            cluster.UpdateNode(node.Metadata.Name, n => KubeletNode.SetReady(n, KubeletNode.Unknown()));
            cluster.DeleteNode(node.Metadata.Name);
            registered.Remove(node.Metadata.Name);
        }

        foreach (var node in snapshot.Nodes.Where(n => running.ContainsKey(n.Spec?.ProviderID ?? "") && !ClusterView.IsReady(n)
            && n.Metadata.CreationTimestamp is { } at && now - at.AsUtc() >= NetworkReadyDelay))
        {
            cluster.UpdateNode(node.Metadata.Name, n => KubeletNode.SetReady(n, KubeletNode.Ready()));
        }

        var nodesById = snapshot.Nodes.Select(n => n.Spec?.ProviderID ?? "").ToHashSet(StringComparer.Ordinal);
        var claims = snapshot.NodeClaims.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        foreach (var instance in running.Values.Where(i => !nodesById.Contains(i.ProviderId) && now - i.LaunchedAt >= BootTime))
        {
            Register(instance, instance.NodeClaim is { } c ? claims.GetValueOrDefault(c) : null);
        }

        foreach (var node in snapshot.Nodes.Where(n => registered.TryGetValue(n.Metadata.Name, out var at) && now - at >= DevicePluginDelay))
        {
            registered.Remove(node.Metadata.Name);
            var claim = snapshot.NodeClaims.FirstOrDefault(c => c.Status?.ProviderID == node.Spec?.ProviderID);
            var startup = (claim?.Spec?.StartupTaints ?? []).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            var type = types[node.Metadata.Labels[WellKnownLabels.InstanceType]];
            // The device plugin runs the config entry the node's labels name. When they name a layout that enables MIG,
            // the MIG manager pauses the plugin (nvidia.com/gpu.deploy.device-plugin=paused-for-mig-change), splits the
            // GPUs and starts it again: no GPU is advertised meanwhile.
            var sharing = Sharing(snapshot, node, claim);
            var migLayout = sharing?.Layout is { } layout && layout.Specs.Any(spec => spec.MigEnabled);
            var allocatable = sharing is { ChangesResources: true }
                ? SharedGpuTypes.WithGpus(type.Allocatable, migLayout ? new Dictionary<string, long>() : SharedGpuTypes.Advertised(type.Info, sharing))
                : type.Allocatable;
            cluster.UpdateNode(node.Metadata.Name, n =>
            {
                n.Status.Allocatable = NodeClaimFactory.Quantities(allocatable).ToDictionary(kv => kv.Key, kv => kv.Value);
                n.Spec.Taints = [.. (n.Spec.Taints ?? []).Where(t => !startup.Contains(t.Key))];
                if (migLayout)
                {
                    n.Metadata.Labels[NvidiaLabels.MigConfigState] = NvidiaLabels.MigConfigStates.Pending;
                }
            });
            if (migLayout)
            {
                migPending[node.Metadata.Name] = now + MigManagerDelay;
            }
        }

        foreach (var node in snapshot.Nodes.Where(n => migPending.TryGetValue(n.Metadata.Name, out var due) && now >= due))
        {
            migPending.Remove(node.Metadata.Name);
            var claim = snapshot.NodeClaims.FirstOrDefault(c => c.Status?.ProviderID == node.Spec?.ProviderID);
            var type = types[node.Metadata.Labels[WellKnownLabels.InstanceType]];
            var sharing = Sharing(snapshot, node, claim);
            var gpu = type.Info.Gpu;
            var problem = sharing is null || gpu is null ? "no layout" : sharing.Problem(GpuModels.Find(gpu.Name, gpu.MemoryMiB), gpu.Count, gpu.Name);
            cluster.UpdateNode(node.Metadata.Name, n =>
            {
                if (problem is null)
                {
                    n.Status.Allocatable = NodeClaimFactory.Quantities(SharedGpuTypes.WithGpus(type.Allocatable, SharedGpuTypes.Advertised(type.Info, sharing!)))
                        .ToDictionary(kv => kv.Key, kv => kv.Value);
                }

                n.Metadata.Labels[NvidiaLabels.MigConfigState] = problem is null ? NvidiaLabels.MigConfigStates.Success : NvidiaLabels.MigConfigStates.Failed;
            });
        }
    }

    /// <summary>What the GPU Operator makes of the node's sharing labels (the claim's, which the kubelet registers it with).</summary>
    private static Api.Gpus.GpuSharing? Sharing(ClusterSnapshot snapshot, V1Node node, NodeClaim? claim)
    {
        var labels = new Dictionary<string, string>(claim?.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in node.Metadata.Labels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        return snapshot.GpuOperator.Resolve(GpuSharingSpec.FromLabels(labels)).Sharing;
    }

    private void Register(CloudInstance instance, NodeClaim? claim)
    {
        var type = types[instance.InstanceType];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["eks.amazonaws.com/capacityType"] = instance.CapacityType == "spot" ? "SPOT" : "ON_DEMAND",
        };
        var taints = new List<V1Taint>();
        if (StaticGroup(instance.ProviderId) is { } group)
        {
            foreach (var (key, value) in group.Labels)
            {
                labels[key] = value;
            }

            taints.AddRange(group.Taints);
        }
        else
        {
            taints.Add(new V1Taint { Key = WellKnownTaints.Unregistered, Effect = "NoExecute" });
            taints.AddRange((claim?.Spec?.Taints ?? []).Concat(claim?.Spec?.StartupTaints ?? []).Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }));
        }

        // Until the device plugin runs, the node advertises no accelerators.
        var early = NodeClaimFactory.Quantities(type.Allocatable)
            .Where(kv => kv.Key is WellKnownResources.Cpu or WellKnownResources.Memory or WellKnownResources.Pods or WellKnownResources.EphemeralStorage)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var node = KubeletNode.For(instance, type, taints, early, labels);
        cluster.Apply(node);
        registered[node.Metadata.Name] = clock.GetUtcNow();
    }

    private void Schedule(ClusterSnapshot snapshot, DateTimeOffset now)
    {
        var pending = snapshot.Pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p) && !ClusterView.IsDaemon(p)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var bound = snapshot.Pods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p)).ToLookup(p => p.Spec.NodeName, StringComparer.Ordinal);
        var nodes = snapshot.Nodes.Where(n => ClusterView.IsReady(n) && n.Spec?.Unschedulable != true)
            .Select(n => PlanInputBuilder.Node(n, bound[n.Metadata.Name])).ToList();
        var pods = pending.ToDictionary(p => ClusterView.Id(p), StringComparer.Ordinal);
        var plan = Scheduler.Solve(new SchedulingInput([.. pending.Select(PodConverter.Convert)], nodes, []));
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var added = new Dictionary<string, List<Pod>>(StringComparer.Ordinal);
        foreach (var placement in plan.Placements.Where(p => !p.NewNodeClaim))
        {
            var node = byName[placement.Target];
            var others = added.TryGetValue(node.Name, out var list) ? list : added[node.Name] = [];
            CheckBinding(placement.Pod, node, others);
            others.Add(placement.Pod);
            cluster.Bind(placement.Pod.Id, node.Name);
            PodsPlaced++;
            if (created.Remove(placement.Pod.Id, out var at))
            {
                PendingSeconds.Add((now - at).TotalSeconds);
            }
        }
    }

    /// <summary>A bound pod must fit, tolerate and match its node: checked independently of the solver that chose it.</summary>
    private void CheckBinding(Pod pod, ClusterNode node, List<Pod> alsoNew)
    {
        var requested = node.Requested.Add(pod.Requests);
        foreach (var other in alsoNew)
        {
            requested = requested.Add(other.Requests);
        }

        if (!requested.FitsIn(node.Allocatable))
        {
            Violations.Add($"pod {pod.Id} bound to {node.Name}, which cannot hold it ({requested} > {node.Allocatable})");
        }

        if (!Toleration.ToleratesAll(pod.Tolerations, [.. node.Taints.Where(t => t.Effect is "NoSchedule" or "NoExecute")]))
        {
            Violations.Add($"pod {pod.Id} bound to {node.Name}, whose taints it does not tolerate");
        }

        if (!pod.NodeRequirements.Any(r => r.All.All(req => req.Admits(node.Labels.GetValueOrDefault(req.Key)))))
        {
            Violations.Add($"pod {pod.Id} bound to {node.Name}, whose labels do not match its node selector");
        }
    }

    private void CheckLimitsAndBudgets(ClusterSnapshot snapshot, DateTimeOffset now)
    {
        foreach (var pool in snapshot.NodePools)
        {
            var claims = snapshot.NodeClaims.Where(c => ClusterView.PoolOf(c) == pool.Metadata.Name).ToList();
            if (pool.Spec?.Limits is { } limits)
            {
                var used = claims.Aggregate(Core.Resources.ResourceList.Empty, (sum, c) => sum.Add(ClusterView.ExpectedCapacity(c)));
                var limit = Core.Resources.ResourceList.FromQuantities(limits);
                foreach (var resource in limit.Names.Where(r => used[r] > limit[r]))
                {
                    Violations.Add($"{now:u}: NodePool/{pool.Metadata.Name} holds {used[resource]} {resource}, over its limit {limit[resource]}");
                }
            }

            var voluntary = claims.Where(c => c.Metadata.DeletionTimestamp is not null
                && ClusterView.Get(c.Metadata.Annotations, ControllerContext.TerminationReasonAnnotation) is "Underutilized" or "Empty" or "Drifted" or "Expired").ToList();
            foreach (var claim in voluntary.Where(c => seenDeleting.Add(c.Metadata.Name)))
            {
                var reason = ClusterView.Get(claim.Metadata.Annotations, ControllerContext.TerminationReasonAnnotation)!;
                var sameReason = voluntary.Count(c => ClusterView.Get(c.Metadata.Annotations, ControllerContext.TerminationReasonAnnotation) == reason);
                var policy = Core.Disruption.DisruptionPolicy.From(pool);
                var allowed = Core.Budgets.DisruptionBudgets.Allowed(policy.Budgets, reason, claims.Count, 0, now);
                if (sameReason > allowed)
                {
                    Violations.Add($"{now:u}: NodePool/{pool.Metadata.Name}: {sameReason} node(s) disrupted for {reason}, budget allows {allowed}");
                }
            }
        }
    }

    private void OnPodRemoved(V1Pod pod, string how)
    {
        // Past its NodeClaim's terminationGracePeriod, Karpenter deletes what is left on a node whatever PDBs and
        // do-not-disrupt say; that is the contract of the field, not a breach.
        if (how == "delete" && GracePeriodRanOut(pod))
        {
            return;
        }

        if (ClusterView.Get(pod.Metadata.Annotations, WellKnownAnnotations.DoNotDisrupt) == "true")
        {
            Violations.Add($"{clock.GetUtcNow():u}: pod {ClusterView.Id(pod)} annotated {WellKnownAnnotations.DoNotDisrupt} was removed ({how})");
        }

        if (how == "delete")
        {
            Violations.Add($"{clock.GetUtcNow():u}: pod {ClusterView.Id(pod)} was deleted without the Eviction API");
        }
    }

    /// <summary>
    /// Whether the pod's node belongs to a NodeClaim deleted at least its terminationGracePeriod ago, judged from the
    /// cluster's own state rather than from the controller that deleted the pod.
    /// </summary>
    private bool GracePeriodRanOut(V1Pod pod)
    {
        var snapshot = cluster.Snapshot();
        var providerId = snapshot.Nodes.FirstOrDefault(n => n.Metadata.Name == pod.Spec?.NodeName)?.Spec?.ProviderID;
        var claim = providerId is null ? null : snapshot.NodeClaims.FirstOrDefault(c => c.Status?.ProviderID == providerId);
        if (claim?.Metadata.DeletionTimestamp is not { } deleted || claim.Spec?.TerminationGracePeriod is not { } text
            || KarpenterDuration.Parse(text) is not { } grace)
        {
            return false;
        }

        return clock.GetUtcNow() - deleted.AsUtc() >= grace;
    }
}
