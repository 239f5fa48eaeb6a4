using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Writes each EC2NodeClass's status, as Karpenter's node class controller does: what its selectors resolve to
/// (subnets with zones, security groups, AMIs, instance profile), a condition per dependency and Ready over them.
/// A transition keeps its time until the condition's status changes; nothing is written when nothing changed.
/// Ready turning False is a Warning event naming every field that matched nothing: the planner then leaves the
/// class's NodePools alone, and plans the others only in the zones of their subnets. After a pass in which every
/// class resolved, launch templates that no class uses any more are deleted (at most every
/// <see cref="ControllerOptions.LaunchTemplateCleanupInterval"/>); a class that failed to resolve would otherwise
/// lose templates it still needs. As Karpenter's AWS provider does, every class gets the
/// <c>karpenter.k8s.aws/termination</c> finalizer, and a deleted class goes only once no NodeClaim uses it (a
/// WaitingOnNodeClaimTermination event names them meanwhile): its nodes keep the class they were launched from.
/// </summary>
public sealed class NodeClassStatusController(ControllerContext context, INodeClassProvider provider)
{
    private readonly HashSet<string> gauged = new(StringComparer.Ordinal);

    private readonly StatusWrites<EC2NodeClassStatus> written = new();
    private readonly Dictionary<string, (string Claims, DateTimeOffset At)> waiting = new(StringComparer.Ordinal);
    private DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    /// <summary>One pass over every node class.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // With the NodeClaims this process just created: a class must not go while one of them uses it.
        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var live = snapshot.NodeClasses.Where(c => c.Metadata.DeletionTimestamp is null).ToList();
        var cleanup = new TemplateCleanup(provider, live);
        foreach (var deleting in snapshot.NodeClasses.Where(c => c.Metadata.DeletionTimestamp is not null))
        {
            await FinalizeAsync(deleting, cleanup, snapshot.NodeClaims, cancellationToken).ConfigureAwait(false);
        }

        var resolvedAll = true;
        foreach (var nodeClass in live)
        {
            gauged.Add(nodeClass.Metadata.Name);
            if (nodeClass.Metadata.Finalizers?.Contains(WellKnownAnnotations.NodeClassTerminationFinalizer) != true)
            {
                await context.Cluster.UpdateNodeClassFinalizersAsync(nodeClass.Metadata.Name,
                    [.. nodeClass.Metadata.Finalizers ?? [], WellKnownAnnotations.NodeClassTerminationFinalizer], cancellationToken).ConfigureAwait(false);
            }

            EC2NodeClassStatus resolved;
            try
            {
                resolved = await provider.ResolveAsync(nodeClass, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A cloud error says nothing about the selectors: the status stays as it was.
                resolvedAll = false;
                context.Logger.LogWarning(Diagnostics.ErrorText.StackUnlessExternal(e), "EC2NodeClass/{NodeClass} could not be resolved; keeping its status: {Error}", nodeClass.Metadata.Name, Diagnostics.ErrorText.Describe(e));
                continue;
            }

            var name = nodeClass.Metadata.Name;
            var before = written.Before(nodeClass.Metadata, nodeClass.Status);
            var status = Merge(nodeClass.Metadata.Generation ?? 0, before, resolved, context.Now);
            var ready = IsReady(status);
            context.Metrics.NodeClassReady.WithLabels(name).Set(ready ? 1 : 0);
            if (StatusWrites<EC2NodeClassStatus>.Same(before, status))
            {
                continue;
            }

            await context.Cluster.UpdateNodeClassStatusAsync(name, status, cancellationToken).ConfigureAwait(false);
            written.Wrote(nodeClass.Metadata, status);
            var wasReady = before?.Conditions?.FirstOrDefault(c => c.Type == NodeClassConditions.Ready)?.Status;
            if (wasReady != (ready ? "True" : "False"))
            {
                await AnnounceAsync(nodeClass.Metadata.Name, status, ready, cancellationToken).ConfigureAwait(false);
            }
        }

        // A deleted class's gauge goes with it.
        foreach (var gone in gauged.Except(live.Select(c => c.Metadata.Name)).ToList())
        {
            context.Metrics.NodeClassReady.RemoveLabelled(gone);
            gauged.Remove(gone);
        }

        written.KeepOnly(live.Select(c => c.Metadata.Name));

        if (resolvedAll && context.Now >= nextCleanup)
        {
            nextCleanup = context.Now + context.Options.LaunchTemplateCleanupInterval;
            foreach (var deleted in await cleanup.DeleteUnusedAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Record("nodeclass", "delete", deleted, "no EC2NodeClass uses it any more");
            }
        }
    }

    /// <summary>
    /// A deleted class: its finalizer goes once no NodeClaim names it and, as Karpenter's finalizer does, the launch
    /// templates made for it are deleted (all that no remaining class uses, but one a launch ensured in the last ten
    /// minutes); until then an event (every ten minutes, or when the claims change) says which claims it waits for.
    /// </summary>
    private async Task FinalizeAsync(EC2NodeClass nodeClass, TemplateCleanup cleanup, IReadOnlyList<NodeClaim> claims, CancellationToken cancellationToken)
    {
        var name = nodeClass.Metadata.Name;
        if (nodeClass.Metadata.Finalizers?.Contains(WellKnownAnnotations.NodeClassTerminationFinalizer) != true)
        {
            return;
        }

        var users = claims.Where(c => c.Spec?.NodeClassRef?.Name == name).Select(c => c.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        if (users.Count > 0)
        {
            var list = string.Join(", ", users.Take(5)) + (users.Count > 5 ? $" and {users.Count - 5} other(s)" : "");
            if (!waiting.TryGetValue(name, out var last) || last.Claims != list || context.Now - last.At >= TimeSpan.FromMinutes(10))
            {
                waiting[name] = (list, context.Now);
                await context.EventAsync(ClusterEvent.Normal(EC2NodeClass.KindName, null, name, "WaitingOnNodeClaimTermination",
                    $"Waiting on NodeClaim termination for {list}"), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        waiting.Remove(name);
        IReadOnlyList<string> deleted;
        try
        {
            deleted = await cleanup.DeleteUnusedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The class stays until its templates can be looked at: a leak otherwise outlives the class.
            context.Logger.LogWarning(e, "EC2NodeClass/{NodeClass} is deleted but its launch templates could not be cleaned up; trying again", name);
            return;
        }

        foreach (var template in deleted)
        {
            context.Record("nodeclass", "delete", template, $"{EC2NodeClass.KindName}/{name} was deleted");
        }

        await context.Cluster.UpdateNodeClassFinalizersAsync(name,
            [.. nodeClass.Metadata.Finalizers.Where(f => f != WellKnownAnnotations.NodeClassTerminationFinalizer)], cancellationToken).ConfigureAwait(false);
        context.Record("nodeclass", "release", $"{EC2NodeClass.KindName}/{name}", "deleted, and no NodeClaim uses it any more");
    }

    /// <summary>
    /// The resolved status with Ready added and every condition stamped with <paramref name="generation"/>; a
    /// condition whose status is as in <paramref name="previous"/> keeps its transition time.
    /// </summary>
    public static EC2NodeClassStatus Merge(long generation, EC2NodeClassStatus? previous, EC2NodeClassStatus resolved, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var dependents = (resolved.Conditions ?? []).Where(c => c.Type != NodeClassConditions.Ready).ToList();
        var unhealthy = dependents.Where(c => c.Status != "True").ToList();
        var ready = unhealthy.Count == 0
            ? Condition.True(NodeClassConditions.Ready)
            : Condition.False(NodeClassConditions.Ready, "UnhealthyDependents", string.Join("; ", unhealthy.Select(c => $"{c.Type}={c.Status}: {c.Message}")));
        return resolved with { Conditions = ConditionStamps.Stamp(dependents.Append(ready), previous?.Conditions, generation, now) };
    }

    private static bool IsReady(EC2NodeClassStatus status) =>
        status.Conditions?.Any(c => c.Type == NodeClassConditions.Ready && c.Status == "True") == true;

    /// <summary>
    /// A pass's launch-template clean-up, run at most once: every caller in a pass asks with the same live classes,
    /// and each run is EC2 lookups. A later caller gets what a second run would find, nothing deleted, or the first
    /// run's error.
    /// </summary>
    private sealed class TemplateCleanup(INodeClassProvider provider, IReadOnlyList<EC2NodeClass> live)
    {
        private Task<IReadOnlyList<string>>? run;

        public async Task<IReadOnlyList<string>> DeleteUnusedAsync(CancellationToken cancellationToken)
        {
            if (run is not null)
            {
                await run.ConfigureAwait(false);
                return [];
            }

            run = provider.DeleteUnusedAsync(live, cancellationToken);
            return await run.ConfigureAwait(false);
        }
    }

    private async Task AnnounceAsync(string name, EC2NodeClassStatus status, bool ready, CancellationToken cancellationToken)
    {
        var message = ready
            ? $"{status.Subnets?.Count ?? 0} subnet(s) in {string.Join(", ", (status.Subnets ?? []).Select(s => s.Zone).Distinct())}, {status.SecurityGroups?.Count ?? 0} security group(s), {status.Amis?.Count ?? 0} AMI(s)"
            : status.Conditions!.First(c => c.Type == NodeClassConditions.Ready).Message!;
        context.Record("nodeclass", ready ? "ready" : "not-ready", $"{EC2NodeClass.KindName}/{name}", message);
        await context.EventAsync(ready
            ? ClusterEvent.Normal(EC2NodeClass.KindName, null, name, "NodeClassReady", message)
            : ClusterEvent.Warning(EC2NodeClass.KindName, null, name, "NodeClassNotReady", message), cancellationToken).ConfigureAwait(false);
    }
}
