using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

public sealed partial class Scheduler
{
    // Pods of each group not placed yet, the pod being placed included: how many a new node could be shared by.
    private int[] unplacedInGroup = [];

    /// <summary>
    /// Opens a claim for the pod in the first weight tier of pools that can take it. Pools of one weight compete on
    /// price per pod: each candidate type's price over how many of the group's unplaced pods a node of it holds, so a
    /// pool whose GPUs are split into MIG slices (32 one-GPU pods on a p4d) wins over one of whole GPUs when it is
    /// cheaper per pod, and loses to it for the last few pods. Karpenter's order (weight, then name) holds otherwise.
    /// </summary>
    private bool TryNewClaimByTier(Pod pod, PodGroup group, VariantState state, List<string> reasons)
    {
        for (var first = 0; first < pools.Count;)
        {
            var end = first;
            while (end < pools.Count && pools[end].Template.Weight == pools[first].Template.Weight)
            {
                end++;
            }

            if (end - first == 1)
            {
                if (TryNewClaim(pools[first], pod, group, state) is { } reason)
                {
                    reasons.Add($"{pools[first].Name}: {reason}");
                }
                else
                {
                    return true;
                }
            }
            else
            {
                NewClaim? best = null;
                var bestPerPod = double.MaxValue;
                for (var p = first; p < end; p++)
                {
                    if (PlanNewClaim(pools[p], pod, group, state, out var claim) is { } reason)
                    {
                        reasons.Add($"{pools[p].Name}: {reason}");
                        continue;
                    }

                    var perPod = PricePerPod(claim, group);
                    if (perPod < bestPerPod - PriceEpsilon)
                    {
                        (best, bestPerPod) = (claim, perPod);
                    }
                }

                if (best is { } chosen)
                {
                    OpenClaim(chosen, pod, group, state);
                    return true;
                }
            }

            first = end;
        }

        return false;
    }

    /// <summary>The lowest price per pod among the claim's types, for the group's pods still to place.</summary>
    private double PricePerPod(NewClaim claim, PodGroup group)
    {
        var pool = claim.Pool;
        var remaining = Math.Max(1, unplacedInGroup[group.Id]);
        // One per node whatever the resources allow when the pod spreads or repels over hostnames.
        var onePerNode = group.Template.AntiAffinity.Any(t => t.TopologyKey == WellKnownLabels.Hostname)
            || group.Template.TopologySpread.Any(s => s.TopologyKey == WellKnownLabels.Hostname);
        var best = double.MaxValue;
        foreach (var t in claim.Options)
        {
            if (PoolState.MinPrice(pool.Types[t], claim.Requirements) is not { } price)
            {
                continue;
            }

            var holds = onePerNode ? 1 : PodsPerNode(pool.Allocatable[t], pool.Overhead, group.Request);
            best = Math.Min(best, price / Math.Min(remaining, Math.Max(1, holds)));
        }

        return best;
    }

    private static long PodsPerNode(long[] allocatable, long[] overhead, long[] request)
    {
        var pods = long.MaxValue;
        for (var r = 0; r < request.Length; r++)
        {
            if (request[r] > 0)
            {
                pods = Math.Min(pods, Math.Max(0, allocatable[r] - overhead[r]) / request[r]);
            }
        }

        return pods == long.MaxValue ? 1 : pods;
    }
}
