using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// Sets of one pool's candidates worth simulating as one multi-node consolidation: nodes whose pods one node of a
/// type the pool can buy would hold, for less than the nodes cost. Each type is filled twice: once with the
/// candidates in their order (cheapest to disrupt first), once densest first (price per share of the type the node's
/// pods would take), which gathers nodes whose pods complement each other, a cpu-heavy type with cpu-heavy pods. The
/// sets are ranked by the share of their price that the cheapest single node holding all their pods would save.
/// </summary>
/// <remarks>
/// An estimate, to choose what to simulate: it counts neither the room the remaining nodes have nor the pods'
/// constraints. The simulation decides; where it finds room elsewhere the replacement only gets smaller.
/// </remarks>
internal sealed class MergeProposals
{
    private readonly string[] names;
    private readonly int podsSlot;
    private readonly List<(long[] Free, double Price)> offers = [];

    /// <summary>Compiles the pool's types once per pass, over the resources its nodes' pods ask for.</summary>
    public MergeProposals(NodePoolTemplate pool, PoolTypes types, IEnumerable<NodeState> nodes)
    {
        names = [.. nodes.SelectMany(n => n.Workload).SelectMany(p => p.Requests.Names).Append(WellKnownResources.Pods)
            .Distinct().Order(StringComparer.Ordinal)];
        podsSlot = Array.IndexOf(names, WellKnownResources.Pods);

        // Types come cheapest first. One that offers no more of anything than a cheaper one is never the cheapest
        // fit nor a better target; dropping those leaves tens of types out of hundreds.
        for (var t = 0; t < types.Types.Count; t++)
        {
            if (PoolState.MinPrice(types.Types[t], types.Offered[t]) is not { } price)
            {
                continue;
            }

            var free = Vector(types.Types[t].Allocatable.Subtract(pool.DaemonOverhead));
            if (!offers.Any(o => ResourceIndex.Fits(free, o.Free)))
            {
                offers.Add((free, price));
            }
        }
    }

    /// <summary>The candidates' sets of at least two nodes, best estimated saving share first.</summary>
    public IEnumerable<IReadOnlyList<NodeState>> Rank(IReadOnlyList<NodeState> candidates)
    {
        var demands = candidates.Select(Demand).ToArray();
        var sets = new Dictionary<string, (int[] Members, double Share)>(StringComparer.Ordinal);
        var inOrder = Enumerable.Range(0, candidates.Count).ToArray();
        foreach (var (free, _) in offers)
        {
            foreach (var order in new[] { inOrder, Densest(candidates, demands, free) })
            {
                var (members, used) = Fill(order, demands, free);
                var key = string.Join(",", members);
                if (members.Length < 2 || sets.ContainsKey(key))
                {
                    continue;
                }

                var removed = members.Sum(m => candidates[m].Price);
                var cheapest = offers.First(o => ResourceIndex.Fits(used, o.Free)).Price;
                if (cheapest < removed)
                {
                    sets[key] = (members, 1 - cheapest / removed);
                }
            }
        }

        return sets.OrderByDescending(s => s.Value.Share).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (IReadOnlyList<NodeState>)[.. s.Value.Members.Select(m => candidates[m])]);
    }

    /// <summary>The candidates in the given order that fit together, in candidate order, and what they use.</summary>
    private static (int[] Members, long[] Used) Fill(int[] order, long[][] demands, long[] free)
    {
        var used = new long[free.Length];
        var members = new List<int>();
        foreach (var c in order)
        {
            if (ResourceIndex.FitsWith(used, demands[c], free))
            {
                ResourceIndex.AddTo(used, demands[c]);
                members.Add(c);
            }
        }

        members.Sort();
        return ([.. members], used);
    }

    /// <summary>Candidates by price per share of the type their pods take (the shares summed over resources), densest first.</summary>
    private static int[] Densest(IReadOnlyList<NodeState> candidates, long[][] demands, long[] free)
    {
        var density = new double[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            var share = 0.0;
            for (var r = 0; r < free.Length; r++)
            {
                share += demands[c][r] == 0 ? 0 : free[r] == 0 ? double.PositiveInfinity : (double)demands[c][r] / free[r];
            }

            density[c] = share == 0 ? double.PositiveInfinity : candidates[c].Price / share;
        }

        return [.. Enumerable.Range(0, candidates.Count).OrderByDescending(c => density[c]).ThenBy(c => c)];
    }

    /// <summary>The node's workload pods' requests, each pod counting one against the type's pod limit.</summary>
    private long[] Demand(NodeState node)
    {
        var demand = new long[names.Length];
        foreach (var pod in node.Workload)
        {
            ResourceIndex.AddTo(demand, Vector(pod.Requests));
            demand[podsSlot]++;
        }

        return demand;
    }

    private long[] Vector(ResourceList list) => [.. names.Select(n => list[n])];
}
