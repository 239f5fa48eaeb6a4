using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Buys nodes for pods that have nowhere to run. Pending pods are batched (a batch closes after an idle second or
/// ten seconds at most), solved together with the existing nodes and the NodeClaims in flight, and each new node
/// becomes a NodeClaim. Pods get a "Nominated" event naming their claim, and pods nothing can hold get a
/// FailedScheduling event with every pool's reason. An unchanged batch is solved again at most every 30 s. A pod whose
/// spec uses something the solver does not model (host ports, volume topology, ...) gets one UnsupportedConstraints
/// Warning event naming each field, so nothing it asks for is dropped unseen. While a pod the last solve placed on a
/// NodeClaim (new, in flight or registered) is still pending, that claim stays nominated, so disruption does not take
/// away the node the pod is about to bind to.
/// </summary>
public sealed class Provisioner(ControllerContext context)
{
    private static readonly TimeSpan Resolve = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, string> reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> unsupportedReported = new(StringComparer.Ordinal);

    // The NodeClaim the last solve placed each pending pod on.
    private readonly Dictionary<string, string> placedOn = new(StringComparer.Ordinal);
    private HashSet<string> batch = new(StringComparer.Ordinal);
    private DateTimeOffset? batchStart;
    private DateTimeOffset lastChange;
    private (string Signature, DateTimeOffset At)? lastSolve;

    /// <summary>One pass: solve when the batch has closed.</summary>
    public async Task<Plan?> ReconcileAsync(CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        var now = context.Now;
        var pending = view.ProvisionablePods.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (pod, claim) in placedOn.ToList())
        {
            if (!pending.Contains(pod) || view.Claims.GetValueOrDefault(claim) is not { Metadata.DeletionTimestamp: null })
            {
                placedOn.Remove(pod);
            }
            else
            {
                context.Nominate(claim);
            }
        }

        if (pending.Count == 0)
        {
            batch.Clear();
            batchStart = null;
            return null;
        }

        if (!pending.SetEquals(batch))
        {
            batch = pending;
            batchStart ??= now;
            lastChange = now;
        }

        if (now - lastChange < context.Options.BatchIdle && now - batchStart < context.Options.BatchMax)
        {
            return null;
        }

        var signature = string.Join(",", pending.Order(StringComparer.Ordinal)) + "|" + string.Join(",", view.Claims.Keys.Order(StringComparer.Ordinal));
        if (lastSolve is { } last && last.Signature == signature && now - last.At < Resolve)
        {
            return null;
        }

        var started = context.Time.GetTimestamp();
        var packing = context.Options.PackingBudget is { } budget
            ? new PackingOptions { Clock = context.Time, Budget = budget, Cancellation = cancellationToken }
            : new PackingOptions { Cancellation = cancellationToken };
        var plan = Scheduler.Solve(new SchedulingInput(view.Provisionable, view.SchedulingNodes, view.Pools, NamespaceLabels: view.NamespaceLabels, Packing: packing));
        context.Metrics.SchedulingDuration.Observe(context.Time.GetElapsedTime(started).TotalSeconds);
        batchStart = null;

        var pools = view.Snapshot.NodePools.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var classes = view.Snapshot.NodeClasses.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var planned in plan.NodeClaims)
        {
            var pool = pools[planned.NodePool];
            var name = context.NewClaimName(planned.NodePool);
            var claim = NodeClaimFactory.Create(name, planned, pool, classes.GetValueOrDefault(pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? ""), context.Options.MaxInstanceTypesPerClaim);
            await context.CreateNodeClaimAsync(claim, cancellationToken).ConfigureAwait(false);
            names[planned.Name] = name;
            context.Record("provisioner", "create", $"NodeClaim/{name}",
                $"for {planned.Pods.Count} pod(s), cheapest {planned.Cheapest.InstanceType} {planned.Cheapest.CapacityType} ${planned.Price:F4}/h of {planned.Options.Count} offering(s)");
        }

        foreach (var placement in plan.Placements)
        {
            var target = placement.NewNodeClaim ? names[placement.Target] : placement.Target;
            var claim = placement.NewNodeClaim || view.Claims.ContainsKey(target) ? target : view.ClaimOfNode.GetValueOrDefault(target)?.Metadata.Name;
            if (claim is not null)
            {
                placedOn[placement.Pod.Id] = claim;
                context.Nominate(claim);
                await context.EventAsync(ClusterEvent.Normal("Pod", placement.Pod.Namespace, placement.Pod.Name, "Nominated",
                    $"Pod should schedule on: nodeclaim/{claim}"), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                placedOn.Remove(placement.Pod.Id);
            }

            reported.Remove(placement.Pod.Id);
        }

        foreach (var unplaced in plan.Unplaced)
        {
            var message = "Failed to schedule pod, " + string.Join("; ", unplaced.Reasons);
            if (reported.TryGetValue(unplaced.Pod.Id, out var before) && before == message)
            {
                continue;
            }

            reported[unplaced.Pod.Id] = message;
            await context.EventAsync(ClusterEvent.Warning("Pod", unplaced.Pod.Namespace, unplaced.Pod.Name, "FailedScheduling", message), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (id, fields) in view.Unsupported)
        {
            var message = "Planned without what the autoscaler does not model: " + string.Join("; ", fields);
            if (unsupportedReported.TryGetValue(id, out var before) && before == message)
            {
                continue;
            }

            unsupportedReported[id] = message;
            var pod = view.ProvisionablePods[id];
            await context.EventAsync(ClusterEvent.Warning("Pod", pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, "UnsupportedConstraints", message), cancellationToken).ConfigureAwait(false);
        }

        lastSolve = (signature, now);
        foreach (var gone in reported.Keys.Where(k => !pending.Contains(k)).ToList())
        {
            reported.Remove(gone);
        }

        foreach (var gone in unsupportedReported.Keys.Where(k => !pending.Contains(k)).ToList())
        {
            unsupportedReported.Remove(gone);
        }

        return plan;
    }
}
