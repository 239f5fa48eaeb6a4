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

    /// <summary>One pass: scale up for pending pods, scale down nodes empty for ten minutes.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
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
                nodes.Add(PlanInputBuilder.Node(node, bound[node.Metadata.Name]) with { Allocatable = group.InstanceTypes[0].Allocatable });
                var busy = bound[node.Metadata.Name].Any(p => !ClusterView.IsDaemon(p));
                if (busy)
                {
                    emptySince.Remove(instance.ProviderId);
                }
                else if (now - emptySince.GetValueOrDefault(instance.ProviderId, now) >= ScaleDownAfter)
                {
                    await cloud.DeleteAsync(instance.ProviderId, cancellationToken).ConfigureAwait(false);
                    emptySince.Remove(instance.ProviderId);
                }
                else
                {
                    emptySince.TryAdd(instance.ProviderId, now);
                }
            }
            else
            {
                nodes.Add(new ClusterNode
                {
                    Name = instance.ProviderId,
                    NodePool = group.Name,
                    Labels = new Dictionary<string, string>(group.InstanceTypes[0].Labels) { [WellKnownLabels.NodePool] = group.Name },
                    Taints = group.Taints,
                    Allocatable = group.InstanceTypes[0].Allocatable,
                    InFlight = true,
                });
            }
        }

        var pending = snapshot.Pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p)).Select(PodConverter.Convert).ToList();
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
            }
            catch (InsufficientCapacityException)
            {
                // A node group retries on its next scan.
            }
        }
    }
}
