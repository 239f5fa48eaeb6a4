using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Metrics;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// Runs a scenario: the real controllers (or the static baseline) against the in-memory cluster and cloud, with the
/// simulated world around them, one clock step at a time.
/// </summary>
public static class Simulator
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMinutes(5);

    /// <summary>Runs the scenario under the autoscaler (<paramref name="baseline"/> false) or the static node groups.</summary>
    public static async Task<SimulationResult> RunAsync(Scenario scenario, InstanceCatalog catalog, bool baseline,
        Action<TimelinePoint>? progress, ILogger? logger, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var clock = new VirtualClock(scenario.Start);
        var cluster = new InMemoryCluster(clock);
        var cloud = new InMemoryCloud(catalog, clock);
        var interruptions = new ScriptedInterruptions();
        var metrics = new AutoscalerMetrics();
        var decisions = new List<string>();
        StaticNodeGroups? groups = baseline ? new StaticNodeGroups(scenario, catalog, cluster, cloud, clock) : null;
        var world = new SimulatedWorld(scenario, cluster, cloud, clock, catalog, baseline ? null : interruptions, id => groups?.GroupOf(id));
        foreach (var pool in scenario.NodePools)
        {
            cluster.Apply(pool);
        }

        foreach (var nodeClass in scenario.NodeClasses)
        {
            cluster.Apply(nodeClass);
        }

        foreach (var budget in scenario.Budgets)
        {
            cluster.Apply(budget);
        }

        foreach (var configMap in scenario.ConfigMaps)
        {
            cluster.Apply(configMap);
        }

        var context = new ControllerContext(cluster, cloud, clock, new ControllerOptions { ClusterName = scenario.Name, NameSeed = scenario.Seed, PackingBudget = null }, metrics,
            logger ?? NullLogger.Instance);
        context.Decided += d => decisions.Add($"{d.At:yyyy-MM-ddTHH:mm:ss}Z {d.Controller} {d.Action} {d.Subject}: {d.Message}");
        var controllers = new AutoscalerControllers(context, interruptions, new InMemoryNodeClasses(catalog));
        var accelerated = catalog.InstanceTypes.Where(t => t.Gpu is not null || t.Accelerator is not null).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var timeline = new List<TimelinePoint>();
        var end = scenario.Start + scenario.Duration;
        var nextSample = scenario.Start;
        while (clock.GetUtcNow() < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await world.StepAsync(scenario.Step, cancellationToken).ConfigureAwait(false);
            if (groups is not null)
            {
                await groups.StepAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await controllers.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            if (clock.GetUtcNow() >= nextSample)
            {
                var point = await SampleAsync(cluster, cloud, accelerated, clock.GetUtcNow() - scenario.Start, world.Cost, cancellationToken).ConfigureAwait(false);
                timeline.Add(point);
                progress?.Invoke(point);
                nextSample += SampleEvery;
            }

            clock.Advance(scenario.Step);
        }

        var final = await cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var left = final.Pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !ClusterView.IsTerminal(p)).ToList();
        // The end-of-run solve only explains pods still pending: with none left it would explain nothing.
        IReadOnlyList<PendingPod> pending = [];
        if (left.Count > 0)
        {
            var (plan, planned) = groups is not null
                ? await groups.PlanAsync(cancellationToken).ConfigureAwait(false)
                : await ProvisionerPlanAsync(context, cancellationToken).ConfigureAwait(false);
            pending = PendingPods.Explain(left, plan, planned);
        }

        var ended = $"{clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss}Z";
        var log = groups is not null ? [.. groups.Decisions] : decisions;
        log.AddRange(pending.Select(p => $"{ended} simulate pending Pod/{p.Pod}: {p.Reason}"));
        var sorted = world.PendingSeconds.Order().ToList();
        return new SimulationResult
        {
            Scenario = scenario.Name,
            Hours = scenario.Duration.TotalHours,
            Seconds = watch.Elapsed.TotalSeconds,
            PodsPlaced = world.PodsPlaced,
            PodsUnplaced = pending.Count,
            Pending = pending,
            Violations = world.Violations,
            Cost = world.Cost,
            SpotShare = world.InstanceHours.All == 0 ? 0 : world.InstanceHours.Spot / world.InstanceHours.All,
            Fallbacks = (int)Sum(metrics.LaunchFallbacks),
            InterruptionsHandled = decisions.Count(d => d.Contains(" interruption delete ", StringComparison.Ordinal)),
            Consolidations = (int)Sum(metrics.DisruptionActions),
            PendingSeconds = (Percentile(sorted, 0.5), Percentile(sorted, 0.99)),
            Launches = cloud.All.GroupBy(i => $"{i.InstanceType} {i.CapacityType}").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Timeline = timeline,
            Decisions = log,
        };
    }

    /// <summary>The provisioner's solve over the state the run ended in: its pods, nodes, claims in flight and pools.</summary>
    private static async Task<(Plan Plan, IReadOnlyList<ClusterNode> Nodes)> ProvisionerPlanAsync(ControllerContext context, CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        return (Scheduler.Solve(new SchedulingInput(view.Provisionable, view.SchedulingNodes, view.Pools, NamespaceLabels: view.NamespaceLabels)), view.SchedulingNodes);
    }

    private static async Task<TimelinePoint> SampleAsync(InMemoryCluster cluster, InMemoryCloud cloud, IReadOnlySet<string> accelerated, TimeSpan offset,
        double spent, CancellationToken cancellationToken)
    {
        var snapshot = await cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var running = cloud.All.Where(i => i.Running).ToList();
        var live = snapshot.Pods.Where(p => !ClusterView.IsTerminal(p)).ToList();
        return new TimelinePoint(
            offset.TotalHours,
            running.Count,
            running.Count(i => i.CapacityType == WellKnownLabels.CapacityTypes.Spot),
            running.Count(i => accelerated.Contains(i.InstanceType)),
            live.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName)),
            live.Count(p => string.IsNullOrEmpty(p.Spec?.NodeName)),
            running.Sum(i => i.Price),
            spent);
    }

    private static double Sum(Prometheus.Counter counter) =>
        counter.GetAllLabelValues().Sum(labels => counter.WithLabels(labels).Value);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
