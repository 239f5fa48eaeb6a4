namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Re-packs items onto the cheapest nodes it can find: column generation over node patterns (GLOP for the relaxation,
/// <see cref="PatternPricing"/> for new patterns, the greedy plan's nodes among the first), then whole numbers of nodes
/// (<see cref="IntegerSearch"/>). The caller keeps the answer only where it beats the greedy plan. The work is bounded by the constants below, never by a clock; the deadline
/// only cuts it short.
/// </summary>
internal static class PackingSolver
{
    /// <summary>Rounds of pricing; most re-packs converge in a handful.</summary>
    public const int MaxRounds = 30;

    /// <summary>Branch-and-bound nodes the pricing may spend over the whole re-pack.</summary>
    public const long BranchNodes = 50_000;

    /// <summary>Patterns of each item alone seeded per item: its cheapest kinds per pod.</summary>
    private const int SeedKindsPerItem = 3;

    /// <summary>Creates and drops each solver the re-pack uses, loading its native code.</summary>
    public static void Load()
    {
        foreach (var id in new[] { "GLOP", "SCIP" })
        {
            using var solver = Google.OrTools.LinearSolver.Solver.CreateSolver(id) ?? throw new InvalidOperationException($"OR-Tools {id} is unavailable");
        }
    }

    /// <summary>The nodes of the best re-pack found, or null when nothing beat the start.</summary>
    public static IReadOnlyList<PackingPattern>? Solve(PackingProblem problem, int seed, PackingDeadline deadline)
    {
        var useful = UsefulKinds(problem);
        if (useful.Count == 0)
        {
            return null;
        }

        var columns = new ColumnSet();
        var start = problem.Items.Sum(i => i.Reward * i.Optional);
        var startNodes = new List<PackingPattern>();
        foreach (var node in problem.Start)
        {
            var pattern = Normalize(problem, useful, node) ?? node;
            columns.Add(pattern);
            startNodes.Add(pattern);
            start += problem.Cost(pattern);
        }

        SeedSingleItemPatterns(problem, useful, columns);
        using var master = new LinearMaster(problem);
        foreach (var column in columns.All)
        {
            master.Add(column);
        }

        var generation = new ColumnGeneration(problem, useful, columns, master, new PatternPricing(problem, BranchNodes));
        if (!generation.Run(MaxRounds, deadline))
        {
            return null; // the start is feasible, so this is numerical trouble (or time is up): keep the greedy plan
        }

        // Nothing in the relaxation beats the start: neither can a whole number of the same patterns.
        if (start - master.Objective <= 1e-9 * Math.Max(1, start))
        {
            return null;
        }

        var search = new IntegerSearch(problem, useful, generation, startNodes, seed, deadline);
        var rootValues = master.ColumnValues();
        search.Dive();
        search.FixAndSolve(rootValues);
        search.EnumerateWithinGap();
        return search.Improved();
    }

    /// <summary>
    /// Kinds worth considering, cheapest first: each admits some item and fits its pool's limits alone, and no other
    /// kind of its pool is as cheap with as much room for at least the same items and no more capacity counted against
    /// the limits.
    /// </summary>
    private static List<int> UsefulKinds(PackingProblem problem)
    {
        var candidates = Enumerable.Range(0, problem.Kinds.Count)
            .Where(k => !problem.Kinds[k].Allows.IsEmpty && NoLarger(problem, problem.Kinds[k].Pool, problem.Kinds[k].Capacity, problem.Pools[problem.Kinds[k].Pool].Limits))
            .OrderBy(k => problem.Kinds[k].Price).ThenBy(k => k)
            .ToList();
        var kept = new List<int>();
        foreach (var k in candidates)
        {
            var kind = problem.Kinds[k];
            var dominated = kept.Any(j =>
                problem.Kinds[j].Pool == kind.Pool
                && problem.Kinds[j].Allows.Covers(kind.Allows)
                && ResourceIndex.Fits(kind.Free, problem.Kinds[j].Free)
                && NoLarger(problem, kind.Pool, problem.Kinds[j].Capacity, kind.Capacity));
            if (!dominated)
            {
                kept.Add(k);
            }
        }

        return kept;
    }

    /// <summary>Whether a capacity counts no more than <paramref name="bound"/> against any of the pool's limits.</summary>
    private static bool NoLarger(PackingProblem problem, int pool, long[] capacity, long[] bound)
    {
        for (var r = 0; r < capacity.Length; r++)
        {
            if (problem.Pools[pool].Limited(r) && capacity[r] > bound[r])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The node on the cheapest useful kind of its pool that holds its pods and counts no more against the limits.</summary>
    public static PackingPattern? Normalize(PackingProblem problem, List<int> useful, PackingPattern node)
    {
        var need = new long[problem.Kinds[node.Kind].Free.Length];
        var items = new ItemSet(problem.Items.Count);
        for (var i = 0; i < node.Counts.Length; i++)
        {
            if (node.Counts[i] > 0)
            {
                ResourceIndex.AddTo(need, problem.Items[i].Request, node.Counts[i]);
                items.Add(i);
            }
        }

        var pool = problem.Kinds[node.Kind].Pool;
        var bound = problem.Kinds[node.Kind].Capacity;
        foreach (var k in useful)
        {
            var kind = problem.Kinds[k];
            if (kind.Pool == pool && kind.Allows.Covers(items) && ResourceIndex.Fits(need, kind.Free) && NoLarger(problem, pool, kind.Capacity, bound))
            {
                return node with { Kind = k };
            }
        }

        return null;
    }

    private static void SeedSingleItemPatterns(PackingProblem problem, List<int> useful, ColumnSet columns)
    {
        for (var i = 0; i < problem.Items.Count; i++)
        {
            var item = problem.Items[i];
            var seeds = new List<(double PerPod, int Kind, int Count)>();
            foreach (var k in useful)
            {
                var kind = problem.Kinds[k];
                if (!kind.Allows.Contains(i))
                {
                    continue;
                }

                var most = problem.MostThatFit(i, kind.Free);
                if (most > 0)
                {
                    seeds.Add((kind.Price / most + problem.TierPenalty * item.Tiers[kind.Pool], k, most));
                }
            }

            foreach (var (_, kind, count) in seeds.OrderBy(s => s.PerPod).ThenBy(s => s.Kind).Take(SeedKindsPerItem * problem.Pools.Count))
            {
                var counts = new int[problem.Items.Count];
                counts[i] = count;
                columns.Add(new PackingPattern(kind, counts));
            }
        }
    }
}
