using k8s;
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
/// lose templates it still needs.
/// </summary>
public sealed class NodeClassStatusController(ControllerContext context, INodeClassProvider provider)
{
    private readonly HashSet<string> gauged = new(StringComparer.Ordinal);

    // What this controller last wrote per class: the informer may not show it by the next pass, and comparing with
    // its older copy would write again, restamp transition times and repeat the event.
    private readonly Dictionary<string, (string? Uid, long? Generation, EC2NodeClassStatus Status)> written = new(StringComparer.Ordinal);
    private DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    /// <summary>One pass over every node class.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var snapshot = await context.Cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var live = snapshot.NodeClasses.Where(c => c.Metadata.DeletionTimestamp is null).ToList();
        var resolvedAll = true;
        foreach (var nodeClass in live)
        {
            gauged.Add(nodeClass.Metadata.Name);
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
            var before = written.TryGetValue(name, out var last) && last.Uid == nodeClass.Metadata.Uid && last.Generation == nodeClass.Metadata.Generation
                ? last.Status
                : nodeClass.Status;
            var status = Merge(nodeClass.Metadata.Generation ?? 0, before, resolved, context.Now);
            var ready = IsReady(status);
            context.Metrics.NodeClassReady.WithLabels(name).Set(ready ? 1 : 0);
            if (Same(before, status))
            {
                continue;
            }

            await context.Cluster.UpdateNodeClassStatusAsync(name, status, cancellationToken).ConfigureAwait(false);
            written[name] = (nodeClass.Metadata.Uid, nodeClass.Metadata.Generation, status);
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
            written.Remove(gone);
        }

        if (resolvedAll && context.Now >= nextCleanup)
        {
            nextCleanup = context.Now + context.Options.LaunchTemplateCleanupInterval;
            foreach (var deleted in await provider.DeleteUnusedAsync(live, cancellationToken).ConfigureAwait(false))
            {
                context.Record("nodeclass", "delete", deleted, "no EC2NodeClass uses it any more");
            }
        }
    }

    /// <summary>
    /// The resolved status with Ready added and every condition stamped with <paramref name="generation"/>; a
    /// condition whose status is as in <paramref name="previous"/> keeps its transition time.
    /// </summary>
    public static EC2NodeClassStatus Merge(long generation, EC2NodeClassStatus? previous, EC2NodeClassStatus resolved, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var before = (previous?.Conditions ?? []).Where(c => c.Type is not null).GroupBy(c => c.Type!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var dependents = (resolved.Conditions ?? []).Where(c => c.Type != NodeClassConditions.Ready).ToList();
        var unhealthy = dependents.Where(c => c.Status != "True").ToList();
        var ready = unhealthy.Count == 0
            ? new Condition { Type = NodeClassConditions.Ready, Status = "True", Reason = NodeClassConditions.Ready, Message = "" }
            : new Condition
            {
                Type = NodeClassConditions.Ready,
                Status = "False",
                Reason = "UnhealthyDependents",
                Message = string.Join("; ", unhealthy.Select(c => $"{c.Type}={c.Status}: {c.Message}")),
            };
        var conditions = dependents.Append(ready).Select(c =>
        {
            var stamp = before.TryGetValue(c.Type!, out var old) && old.Status == c.Status && old.LastTransitionTime is not null
                ? old.LastTransitionTime
                : now.UtcDateTime;
            return c with { ObservedGeneration = generation, LastTransitionTime = stamp };
        }).ToList();
        return resolved with { Conditions = conditions };
    }

    private static bool IsReady(EC2NodeClassStatus status) =>
        status.Conditions?.Any(c => c.Type == NodeClassConditions.Ready && c.Status == "True") == true;

    private static bool Same(EC2NodeClassStatus? current, EC2NodeClassStatus wanted) =>
        current is not null && KubernetesJson.Serialize(current) == KubernetesJson.Serialize(wanted);

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
