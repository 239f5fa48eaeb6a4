using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// The packing problem of a batch, built from the pods and pools alone (not from the scheduler's structures): identical
/// pods grouped; a node kind per (pool, instance type, capacity type) at that capacity type's cheapest offering, with
/// the type's allocatable less the pool's daemonset overhead and the capacity its limits count; which groups may run
/// on each kind (taints, node requirements, fit alone); each group's tier in each pool (0 in the highest-weight pool
/// that can take it, 1 in the next ...). Pods with zone requirements are not modelled (the batches have none).
/// </summary>
internal sealed class ExactModel
{
    public ExactModel(IReadOnlyList<Pod> pods, IReadOnlyList<NodePoolTemplate> pools)
    {
        Pools = [.. pools.OrderByDescending(p => p.Weight).ThenBy(p => p.Name, StringComparer.Ordinal)];
        Resources = [.. pods.SelectMany(p => p.Requests.Names).Concat(pools.SelectMany(p => p.DaemonOverhead.Names))
            .Concat(pools.SelectMany(p => p.Limits?.Names ?? [])).Append(WellKnownResources.Pods).Distinct().Where(n => n != WellKnownResources.Nodes).Order(StringComparer.Ordinal)];
        foreach (var same in pods.GroupBy(PodGroup.Signature, StringComparer.Ordinal))
        {
            var pod = same.First();
            Groups.Add((pod, same.Count(), Vector(pod.Requests.Add(ResourceList.Of((WellKnownResources.Pods, 1))))));
        }

        for (var p = 0; p < Pools.Count; p++)
        {
            var pool = Pools[p];
            Limits.Add([.. Resources.Select(name => pool.Limits is { } limits && limits.Names.Contains(name) ? limits[name] - pool.Usage[name] : long.MaxValue)]);
            NodeLimits.Add(pool.Limits is { } l && l.Names.Contains(WellKnownResources.Nodes) ? (int)(l[WellKnownResources.Nodes] - pool.NodeCount) : int.MaxValue);
            AddKinds(p, pool);
        }

        Tier = new int[Groups.Count, Pools.Count];
        for (var g = 0; g < Groups.Count; g++)
        {
            // Pools of one weight share a rank (the scheduler has them compete on price).
            var eligible = Enumerable.Range(0, Pools.Count).Where(p => Kinds.Any(k => k.Pool == p && k.Allows[g])).ToList();
            for (var p = 0; p < Pools.Count; p++)
            {
                var weight = Pools[p].Weight;
                Tier[g, p] = eligible.Contains(p) ? eligible.Select(e => Pools[e].Weight).Where(w => w > weight).Distinct().Count() : -1;
            }
        }
    }

    public List<NodePoolTemplate> Pools { get; }

    public List<string> Resources { get; }

    public List<(Pod Pod, int Count, long[] Request)> Groups { get; } = [];

    public List<ExactKind> Kinds { get; } = [];

    /// <summary>Per pool, what its limits leave per resource (long.MaxValue where unlimited).</summary>
    public List<long[]> Limits { get; } = [];

    public List<int> NodeLimits { get; } = [];

    /// <summary>Per group and pool: the group's rank among the pools that can take it, by weight; -1 where it cannot go.</summary>
    public int[,] Tier { get; }

    public long[] Vector(ResourceList list) => [.. Resources.Select(name => list[name])];

    /// <summary>Kinds worth buying in each pool: no other kind of the pool is as cheap with as much room for as many groups and no more capacity counted against its limits.</summary>
    public List<int> Useful()
    {
        var useful = new List<int>();
        foreach (var k in Enumerable.Range(0, Kinds.Count).OrderBy(k => Kinds[k].Price).ThenBy(k => k))
        {
            var kind = Kinds[k];
            if (!kind.Allows.Any(a => a) || !NoLarger(kind.Pool, kind.Capacity, Limits[kind.Pool]))
            {
                continue;
            }

            if (!useful.Any(j => Kinds[j].Pool == kind.Pool && Kinds[j].Price <= kind.Price && Fits(kind.Free, Kinds[j].Free)
                && kind.Allows.Select((a, g) => !a || Kinds[j].Allows[g]).All(x => x) && NoLarger(kind.Pool, Kinds[j].Capacity, kind.Capacity)))
            {
                useful.Add(k);
            }
        }

        return useful;
    }

    /// <summary>Pools linked by groups that may go to more than one of them: each component is solved on its own.</summary>
    public List<(List<int> Pools, List<int> Groups)> Components()
    {
        var owner = Enumerable.Range(0, Pools.Count).ToArray();
        int Find(int p) => owner[p] == p ? p : owner[p] = Find(owner[p]);
        for (var g = 0; g < Groups.Count; g++)
        {
            var eligible = Enumerable.Range(0, Pools.Count).Where(p => Tier[g, p] >= 0).ToList();
            foreach (var p in eligible.Skip(1))
            {
                owner[Find(p)] = Find(eligible[0]);
            }
        }

        return [.. Enumerable.Range(0, Pools.Count).GroupBy(Find).Select(c => (c.ToList(),
            Enumerable.Range(0, Groups.Count).Where(g => c.Any(p => Tier[g, p] >= 0)).ToList())).Where(c => c.Item2.Count > 0)];
    }

    public bool NoLarger(int pool, long[] capacity, long[] bound)
    {
        for (var r = 0; r < capacity.Length; r++)
        {
            if (Limits[pool][r] != long.MaxValue && capacity[r] > bound[r])
            {
                return false;
            }
        }

        return true;
    }

    public static bool Fits(long[] need, long[] room)
    {
        for (var r = 0; r < need.Length; r++)
        {
            if (need[r] > room[r])
            {
                return false;
            }
        }

        return true;
    }

    private void AddKinds(int p, NodePoolTemplate pool)
    {
        var overhead = Vector(pool.DaemonOverhead);
        foreach (var type in pool.InstanceTypes)
        {
            if (pool.ConflictsWith(type))
            {
                continue;
            }

            var offerings = type.Offerings.Where(o => o.Available && (pool.Requirements.Get(WellKnownLabels.Zone)?.Allows(o.Zone) ?? true)
                && (pool.Requirements.Get(WellKnownLabels.CapacityType)?.Allows(o.CapacityType) ?? true));
            foreach (var byCapacity in offerings.GroupBy(o => o.CapacityType).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var offered = new Requirements([.. pool.Requirements.All, .. type.Requirements.All, Requirement.In(WellKnownLabels.CapacityType, byCapacity.Key)]);
                var free = Vector(type.Allocatable);
                for (var r = 0; r < free.Length; r++)
                {
                    free[r] -= overhead[r];
                }

                var allows = Groups.Select(g => Fits(g.Request, free)
                    && pool.Taints.All(t => g.Pod.Tolerations.Any(x => x.Tolerates(t)))
                    && g.Pod.NodeRequirements.Any(r => Requirements.Conflict(r, offered, _ => false) is null)).ToArray();
                Kinds.Add(new ExactKind(p, type.Name, byCapacity.Key, byCapacity.Min(o => o.Price), free, Vector(type.Capacity), allows));
            }
        }
    }
}

/// <summary>A node one may buy: pool, type, capacity type, its price, room, limit capacity and the groups it takes.</summary>
internal sealed record ExactKind(int Pool, string Type, string CapacityType, double Price, long[] Free, long[] Capacity, bool[] Allows);

/// <summary>A node pattern: a kind and how many pods of each group it holds.</summary>
internal sealed record ExactColumn(int Kind, int[] Counts);
