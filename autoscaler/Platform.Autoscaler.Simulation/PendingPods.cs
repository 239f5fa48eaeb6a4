using k8s.Models;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Simulation;

/// <summary>A pod still pending when the run ended, and why.</summary>
/// <param name="Pod">namespace/name.</param>
/// <param name="Reason">The scheduler's reasons (one per NodePool and the existing nodes), or what it was waiting for.</param>
public sealed record PendingPod(string Pod, string Reason);

/// <summary>
/// Explains the pods left pending at the end of a run from one last solve over the state the run ended in (the
/// provisioner's inputs, or the static node groups'): a pod the solver cannot place gets its per-pool reasons; a
/// pod it can place was waiting for a node to boot, be bought, or for kube-scheduler's next pass.
/// </summary>
public static class PendingPods
{
    /// <summary>The reason for each of <paramref name="pending"/>, in namespace/name order.</summary>
    /// <param name="pending">Pods unbound and not terminal when the run ended.</param>
    /// <param name="plan">The last solve over them.</param>
    /// <param name="nodes">The nodes that solve had, in-flight ones marked.</param>
    public static IReadOnlyList<PendingPod> Explain(IEnumerable<V1Pod> pending, Plan plan, IReadOnlyList<ClusterNode> nodes)
    {
        var unplaced = plan.Unplaced.ToDictionary(u => u.Pod.Id, u => u.Reasons, StringComparer.Ordinal);
        var placed = plan.Placements.ToDictionary(p => p.Pod.Id, StringComparer.Ordinal);
        var claims = plan.NodeClaims.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var booting = nodes.Where(n => n.InFlight).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return [.. pending.Select(pod => new PendingPod(ClusterView.Id(pod), Reason(pod, unplaced, placed, claims, booting)))
            .OrderBy(p => p.Pod, StringComparer.Ordinal)];
    }

    private static string Reason(V1Pod pod, Dictionary<string, IReadOnlyList<string>> unplaced, Dictionary<string, PodPlacement> placed,
        Dictionary<string, PlannedNodeClaim> claims, HashSet<string> booting)
    {
        var id = ClusterView.Id(pod);
        if (unplaced.TryGetValue(id, out var reasons))
        {
            return "cannot be placed: " + string.Join("; ", reasons);
        }

        if (!placed.TryGetValue(id, out var placement))
        {
            return ClusterView.IsDaemon(pod) ? "a DaemonSet pod, which no node was made for" : "not planned: it was being deleted";
        }

        if (placement.NewNodeClaim)
        {
            var claim = claims[placement.Target];
            return $"a new node would hold it (NodePool/{claim.NodePool}, {claim.Cheapest.InstanceType} {claim.Cheapest.CapacityType}); the run ended before one was launched";
        }

        return booting.Contains(placement.Target)
            ? $"waiting for {placement.Target} to register and become ready"
            : $"fits on node {placement.Target}; the run ended before it was bound";
    }
}
