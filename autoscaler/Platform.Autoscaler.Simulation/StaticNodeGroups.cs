using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Planning;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// The baseline the seeds compare against, Cluster Autoscaler over fixed node groups: one group per NodePool that
/// some workload targets, each a single on-demand instance type (the cheapest that holds the largest pod sent to
/// it); scale-up adds nodes of that type for pending pods; a node empty for ten minutes is removed.
/// </summary>
public sealed class StaticNodeGroups
{
    /// <summary>How long a node must be empty before it goes.</summary>
    public static readonly TimeSpan ScaleDownAfter = TimeSpan.FromMinutes(10);

    private readonly InMemoryCluster cluster;
    private readonly InMemoryCloud cloud;
    private readonly VirtualClock clock;
    private readonly Dictionary<string, NodePoolTemplate> groups;
    private readonly Dictionary<string, string> groupOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> emptySince = new(StringComparer.Ordinal);
    private readonly List<string> decisions = [];
    private int launches;

    /// <summary>Chooses each group's type from the scenario's workloads.</summary>
    public StaticNodeGroups(Scenario scenario, InstanceCatalog catalog, InMemoryCluster cluster, InMemoryCloud cloud, VirtualClock clock)
    {
        this.cluster = cluster;
        this.cloud = cloud;
        this.clock = clock;
        var resolved = catalog.InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t)).Select(t => t with
        {
            Offerings = [.. t.Offerings.Where(o => o.CapacityType == WellKnownLabels.CapacityTypes.OnDemand)],
        }).ToList();
        var pools = scenario.NodePools.Select(p => NodePoolTemplate.From(p, resolved) with { Limits = null }).Select(p => p with
        {
            Requirements = new Requirements(p.Requirements.All.Where(r => r.Key != WellKnownLabels.CapacityType)),
        }).ToList();
        groups = new Dictionary<string, NodePoolTemplate>(StringComparer.Ordinal);
        foreach (var workload in scenario.Workloads)
        {
            var pod = PodConverter.Convert(new V1Pod { Metadata = workload.Template.Metadata ?? new V1ObjectMeta { Name = workload.Name }, Spec = workload.Template.Spec });
            var plan = Scheduler.Solve(new SchedulingInput([pod with { Name = workload.Name }], [], pools));
            if (plan.NodeClaims.FirstOrDefault() is not { } claim)
            {
                continue;
            }

            var pool = pools.First(p => p.Name == claim.NodePool);
            var type = pool.InstanceTypes.First(t => t.Name == claim.Cheapest.InstanceType);
            if (!groups.TryGetValue(pool.Name, out var group) || group.InstanceTypes[0].Offerings.Min(o => o.Price) < type.Offerings.Min(o => o.Price))
            {
                var zone = type.Offerings.OrderBy(o => o.Price).ThenBy(o => o.Zone, StringComparer.Ordinal).First();
                groups[pool.Name] = pool with { InstanceTypes = [type with { Offerings = [zone] }] };
            }
        }
    }

    /// <summary>The groups: pool name to its one instance type.</summary>
    public IReadOnlyDictionary<string, string> GroupTypes => groups.ToDictionary(g => g.Key, g => g.Value.InstanceTypes[0].Name);

    /// <summary>The labels and taints of an instance's group, for the simulated kubelet.</summary>
    public (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<V1Taint> Taints)? GroupOf(string providerId) =>
        groupOf.TryGetValue(providerId, out var name)
            ? (new Dictionary<string, string>(groups[name].Labels) { [WellKnownLabels.NodePool] = name },
               [.. groups[name].Taints.Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect })])
            : null;

    /// <summary>What the groups did, in order, as decisions.log lines: each scale-up with its pods, each scale-down.</summary>
    public IReadOnlyList<string> Decisions => decisions;

    /// <summary>One pass: scale up for pending pods, scale down nodes empty for ten minutes.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var (pending, nodes) = await ScanAsync(scaleDown: true, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return;
        }

        var plan = Scheduler.Solve(new SchedulingInput(pending, nodes, [.. groups.Values]));
        foreach (var claim in plan.NodeClaims)
        {
            var option = claim.Cheapest;
            try
            {
                var instance = await cloud.CreateAsync(new LaunchAttempt($"static-{++launches}", claim.NodePool, "static", option.CapacityType, [option]), cancellationToken).ConfigureAwait(false);
                groupOf[instance.ProviderId] = claim.NodePool;
                Record("scale-up", $"group/{claim.NodePool}", $"{option.InstanceType} {option.CapacityType} in {option.Zone} ${option.Price:F4}/h as {instance.ProviderId} for {string.Join(", ", claim.Pods.Select(p => p.Id))}");
            }
            catch (InsufficientCapacityException)
            {
                // A node group retries on its next scan.
                Record("scale-up-failed", $"group/{claim.NodePool}", $"no capacity for {option.InstanceType} {option.CapacityType} in {option.Zone}");
            }
        }
    }

    /// <summary>
    /// The pending pods solved over the groups' nodes (registered and booting) and the groups themselves, as a scan
    /// would, without launching or scaling down: what simulate's end explains pending pods with.
    /// </summary>
    public async Task<(Plan Plan, IReadOnlyList<ClusterNode> Nodes)> PlanAsync(CancellationToken cancellationToken)
    {
        var (pending, nodes) = await ScanAsync(scaleDown: false, cancellationToken).ConfigureAwait(false);
        return (Scheduler.Solve(new SchedulingInput(pending, nodes, [.. groups.Values])), nodes);
    }

    /// <summary>The pending pods and the groups' nodes; a scan also removes nodes empty for long enough.</summary>
    private async Task<(List<Pod> Pending, List<ClusterNode> Nodes)> ScanAsync(bool scaleDown, CancellationToken cancellationToken)
    {
        var snapshot = await cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var instances = (await cloud.ListAsync(cancellationToken).ConfigureAwait(false)).Where(i => groupOf.ContainsKey(i.ProviderId)).ToList();
        var bound = snapshot.Pods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p)).ToLookup(p => p.Spec.NodeName, StringComparer.Ordinal);
        var registered = snapshot.Nodes.ToDictionary(n => n.Spec?.ProviderID ?? "", StringComparer.Ordinal);
        var nodes = new List<ClusterNode>();
        foreach (var instance in instances)
        {
            var group = groups[groupOf[instance.ProviderId]];
            if (registered.TryGetValue(instance.ProviderId, out var node))
            {
                var planned = PlanInputBuilder.Node(node, bound[node.Metadata.Name]) with { Allocatable = group.InstanceTypes[0].Allocatable };
                if (!ClusterView.IsReady(node) || planned.Taints.Any(t => StartupTaints.IsEphemeral(t.Key, t.Effect)))
                {
                    // Registered but not ready yet (the API server's not-ready taint still on): Cluster Autoscaler
                    // counts it as upcoming, as while it booted, so its pods wait for it instead of buying another.
                    planned = planned with { Taints = [.. planned.Taints.Where(t => !StartupTaints.IsEphemeral(t.Key, t.Effect))], InFlight = true };
                }

                nodes.Add(planned);
                if (scaleDown)
                {
                    await ScaleDownAsync(instance, node, bound[node.Metadata.Name].Any(p => !ClusterView.IsDaemon(p)), now, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                // Still booting: planned as the node its kubelet will register, with the group's template labels, so
                // pods that select them (workload: training) wait for it instead of buying another node every scan.
                var (labels, taints) = GroupOf(instance.ProviderId)!.Value;
                var booting = KubeletNode.For(instance, group.InstanceTypes[0], taints, labels: labels);
                nodes.Add(PlanInputBuilder.Node(booting, []) with { Allocatable = group.InstanceTypes[0].Allocatable, InFlight = true });
            }
        }

        var pending = snapshot.Pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p)).Select(PodConverter.Convert).ToList();
        return (pending, nodes);
    }

    private async Task ScaleDownAsync(CloudInstance instance, V1Node node, bool busy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (busy)
        {
            emptySince.Remove(instance.ProviderId);
        }
        else if (now - emptySince.GetValueOrDefault(instance.ProviderId, now) >= ScaleDownAfter)
        {
            await cloud.DeleteAsync(instance.ProviderId, cancellationToken).ConfigureAwait(false);
            emptySince.Remove(instance.ProviderId);
            Record("scale-down", $"group/{groupOf[instance.ProviderId]}", $"{node.Metadata.Name} ({instance.InstanceType}) empty for {ScaleDownAfter.TotalMinutes:F0} minutes");
        }
        else
        {
            emptySince.TryAdd(instance.ProviderId, now);
        }
    }

    private void Record(string action, string subject, string message) =>
        decisions.Add($"{clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss}Z static {action} {subject}: {message}");
}
