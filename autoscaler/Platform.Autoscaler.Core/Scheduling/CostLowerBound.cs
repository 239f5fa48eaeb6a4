using Google.OrTools.LinearSolver;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// A lower bound on the hourly cost of placing pods on new nodes: the linear-programming relaxation of the packing
/// problem, solved with GLOP. Nodes may be bought in fractions and a pod's resources split across nodes of one
/// type, every other rule of fit is kept (taints, requirements, capacity type, daemonset overhead, allocatable);
/// topology and limits are dropped. Any real plan for the same pods costs at least this.
/// </summary>
public static class CostLowerBound
{
    /// <summary>The bound for the pods that can be placed at all, and how many of them could not be.</summary>
    public static (double Cost, int Unplaceable) Compute(IReadOnlyList<Pod> pods, IReadOnlyList<NodePoolTemplate> pools)
    {
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is unavailable");
        var groups = pods.GroupBy(PodGroup.Signature).Select(g => (Pod: g.First(), Count: g.Count())).ToList();
        var names = pods.SelectMany(p => p.Requests.Names)
            .Concat(pools.SelectMany(p => p.DaemonOverhead.Names)).Append(WellKnownResources.Pods).Distinct().ToList();

        // Node variables per (pool, type, capacity type) at the cheapest offering of that capacity type.
        var nodes = new List<(Variable Count, ResourceList Free, NodePoolTemplate Pool, Requirements Offered, List<(int Group, Variable Pods)> Assigned)>();
        var objective = solver.Objective();
        foreach (var pool in pools)
        {
            foreach (var type in pool.InstanceTypes)
            {
                if (pool.ConflictsWith(type))
                {
                    continue;
                }

                foreach (var byCapacity in type.Offerings.Where(o => o.Available && (pool.Requirements.Get(WellKnownLabels.Zone)?.Allows(o.Zone) ?? true)).GroupBy(o => o.CapacityType))
                {
                    if (!(pool.Requirements.Get(WellKnownLabels.CapacityType)?.Allows(byCapacity.Key) ?? true))
                    {
                        continue;
                    }

                    var offered = new Requirements([.. pool.Requirements.All, .. type.Requirements.All, Requirement.In(WellKnownLabels.CapacityType, byCapacity.Key)]);
                    var count = solver.MakeNumVar(0, double.PositiveInfinity, $"x{nodes.Count}");
                    objective.SetCoefficient(count, byCapacity.Min(o => o.Price));
                    nodes.Add((count, type.Allocatable.Subtract(pool.DaemonOverhead), pool, offered, []));
                }
            }
        }

        var unplaceable = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var (pod, count) = groups[g];
            var request = pod.Requests.Add(ResourceList.Of((WellKnownResources.Pods, 1)));
            var placement = solver.MakeConstraint(count, count, $"place{g}");
            var any = false;
            foreach (var node in nodes)
            {
                if (request.FitsIn(node.Free) && Toleration.ToleratesAll(pod.Tolerations, node.Pool.Taints)
                    && pod.NodeRequirements.Any(r => Requirements.Conflict(r, node.Offered, _ => false) is null))
                {
                    var assigned = solver.MakeNumVar(0, double.PositiveInfinity, $"y{g}_{node.Assigned.Count}");
                    placement.SetCoefficient(assigned, 1);
                    node.Assigned.Add((g, assigned));
                    any = true;
                }
            }

            if (!any)
            {
                placement.SetBounds(0, 0);
                unplaceable += count;
            }
        }

        foreach (var node in nodes.Where(n => n.Assigned.Count > 0))
        {
            foreach (var name in names)
            {
                // Rows are scaled by the node's free amount: bytes and millicores side by side defeat the simplex.
                var free = (double)node.Free[name];
                if (free <= 0)
                {
                    continue; // nothing assigned here needs it, or the fit check would have refused the pair
                }

                var capacity = solver.MakeConstraint(double.NegativeInfinity, 0);
                capacity.SetCoefficient(node.Count, -1);
                foreach (var (group, assigned) in node.Assigned)
                {
                    var need = name == WellKnownResources.Pods ? 1 : groups[group].Pod.Requests[name];
                    capacity.SetCoefficient(assigned, need / free);
                }
            }
        }

        objective.SetMinimization();
        var status = solver.Solve();
        return status is Solver.ResultStatus.OPTIMAL
            ? (objective.Value(), unplaceable)
            : throw new InvalidOperationException($"lower bound LP ended {status}");
    }
}
