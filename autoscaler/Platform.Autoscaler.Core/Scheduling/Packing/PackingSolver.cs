namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Re-packs items onto the cheapest nodes it can find: column generation over node patterns (GLOP for the relaxation,
/// <see cref="PatternPricing"/> for new patterns, the greedy plan's nodes among the first), then fix and solve: the
/// whole nodes of the relaxation's optimum are bought and CP-SAT places what they leave. The caller keeps the answer
/// only where it beats the greedy plan. The work is bounded by the constants below, never by a clock; the deadline
/// only cuts it short.
/// </summary>
internal static class PackingSolver
{
    /// <summary>Rounds of pricing; most re-packs converge in a handful.</summary>
    public const int MaxRounds = 30;

    /// <summary>Patterns kept at most.</summary>
    public const int MaxColumns = 3000;

    /// <summary>Branch-and-bound nodes the pricing may spend over the whole re-pack.</summary>
    public const long BranchNodes = 50_000;

    /// <summary>CP-SAT's deterministic time limit for the pods the fixed nodes leave (its own work units).</summary>
    public const double SatDeterministicSeconds = 0.02;

    /// <summary>Patterns of each item alone seeded per item: its cheapest kinds per pod.</summary>
    private const int SeedKindsPerItem = 3;

    /// <summary>The nodes of the best re-pack found, or null when nothing beat the start.</summary>
    public static IReadOnlyList<PackingPattern>? Solve(PackingProblem problem, int seed, PackingDeadline deadline)
    {
        var useful = UsefulKinds(problem);
        if (useful.Count == 0)
        {
            return null;
        }

        var columns = new ColumnSet(problem);
        var start = problem.Items.Sum(i => i.Reward * i.Optional);
        foreach (var node in problem.Start)
        {
            var pattern = Normalize(problem, useful, node) ?? node;
            columns.Add(pattern);
            start += problem.Cost(pattern);
        }

        SeedSingleItemPatterns(problem, useful, columns);
        using var master = new LinearMaster(problem);
        foreach (var column in columns.All)
        {
            master.Add(column);
        }

        var pricing = new PatternPricing(problem, BranchNodes);
        var solved = false;
        for (var round = 0; round < MaxRounds && !deadline.Passed; round++)
        {
            if (!master.Solve())
            {
                return null; // the start is feasible, so this is numerical trouble: keep the greedy plan
            }

            solved = true;
            if (columns.Count >= MaxColumns)
            {
                break;
            }

            var duals = master.CoverDuals();
            var worths = new Dictionary<int, double[]>();
            var found = new List<(double ReducedCost, PackingPattern Pattern)>();
            foreach (var kind in useful)
            {
                var pool = problem.Kinds[kind].Pool;
                if (!worths.TryGetValue(pool, out var worth))
                {
                    worth = [.. duals.Select((_, i) => problem.Items[i].Tiers[pool] < 0 ? 0 : problem.Value(i, kind, duals))];
                    worths[pool] = worth;
                }

                var cost = master.KindCost(kind);
                if (pricing.Best(kind, worth) is { } best && cost - best.Value < -1e-9 * Math.Max(1, cost))
                {
                    found.Add((cost - best.Value, new PackingPattern(kind, best.Counts)));
                }
            }

            var added = 0;
            foreach (var (_, pattern) in found.OrderBy(f => f.ReducedCost).ThenBy(f => f.Pattern.Kind))
            {
                var normalized = Normalize(problem, useful, pattern) ?? pattern;
                if (columns.Add(normalized) >= 0)
                {
                    master.Add(normalized);
                    added++;
                }
            }

            if (added == 0)
            {
                break;
            }

            solved = false;
        }

        if (deadline.Passed || (!solved && !master.Solve()))
        {
            return null;
        }

        // Nothing in the relaxation beats the start: neither can a whole number of the same patterns.
        var gap = start - master.Objective;
        if (gap <= 1e-9 * Math.Max(1, start))
        {
            return null;
        }

        // Fix and solve: the whole nodes of the relaxation's optimum are kept, and CP-SAT chooses the rest, a small
        // problem of the pods they leave. A column dearer in reduced cost than the gap cannot be part of a plan better
        // than the start (reduced costs are at least 0 at the optimum and sum to less than the gap), so it is left out.
        var values = master.ColumnValues();
        var finalDuals = master.CoverDuals();
        var fixedCopies = values.Select(v => (int)Math.Floor(v + 1e-9)).ToArray();
        var residual = Residual(problem, columns, fixedCopies);
        var rest = new ColumnSet(residual);
        var restColumns = new List<int>();
        for (var c = 0; c < columns.Count; c++)
        {
            if (master.ReducedCost(columns.All[c], finalDuals) <= gap + 1e-9 * Math.Max(1, start) && rest.Add(columns.All[c]) >= 0)
            {
                restColumns.Add(c);
            }
        }

        var chosen = (int[])fixedCopies.Clone();
        if (residual.Items.Any(i => i.Total > 0))
        {
            if (IntegerMaster.Solve(residual, rest, seed, SatDeterministicSeconds, deadline.Token) is not { } more)
            {
                return null;
            }

            for (var c = 0; c < more.Length; c++)
            {
                chosen[restColumns[c]] += more[c];
            }
        }

        return Nodes(problem, useful, columns, chosen);
    }

    /// <summary>What is left to place once <paramref name="copies"/> of each column are bought: pods, limits and node counts.</summary>
    private static PackingProblem Residual(PackingProblem problem, ColumnSet columns, int[] copies)
    {
        var covered = new long[problem.Items.Count];
        var limits = problem.Pools.Select(p => (long[])p.Limits.Clone()).ToArray();
        var nodes = problem.Pools.Select(p => p.NodeLimit).ToArray();
        for (var c = 0; c < copies.Length; c++)
        {
            if (copies[c] == 0)
            {
                continue;
            }

            var pattern = columns.All[c];
            var kind = problem.Kinds[pattern.Kind];
            for (var i = 0; i < covered.Length; i++)
            {
                covered[i] += (long)copies[c] * pattern.Counts[i];
            }

            for (var r = 0; r < kind.Capacity.Length; r++)
            {
                if (problem.Pools[kind.Pool].Limited(r))
                {
                    limits[kind.Pool][r] -= copies[c] * kind.Capacity[r];
                }
            }

            nodes[kind.Pool] = nodes[kind.Pool] == int.MaxValue ? int.MaxValue : nodes[kind.Pool] - copies[c];
        }

        var items = problem.Items.Select((item, i) =>
        {
            var required = (int)Math.Max(0, item.Required - covered[i]);
            var optional = (int)Math.Max(0, item.Total - Math.Max(covered[i], item.Required));
            return item with { Required = required, Optional = optional };
        }).ToList();
        var pools = problem.Pools.Select((p, i) => new PackingPool(limits[i], nodes[i])).ToList();
        return problem with { Items = items, Pools = pools, Start = [] };
    }

    /// <summary>One pattern per node bought; a node keeps only pods still to place, then shrinks to the cheapest kind that holds them.</summary>
    private static List<PackingPattern> Nodes(PackingProblem problem, List<int> useful, ColumnSet columns, int[] chosen)
    {
        var left = problem.Items.Select(i => i.Total).ToArray();
        var nodes = new List<PackingPattern>();
        for (var c = 0; c < chosen.Length; c++)
        {
            var pattern = columns.All[c];
            for (var copy = 0; copy < chosen[c]; copy++)
            {
                var counts = new int[left.Length];
                for (var i = 0; i < left.Length; i++)
                {
                    counts[i] = Math.Min(pattern.Counts[i], left[i]);
                    left[i] -= counts[i];
                }

                if (counts.Any(n => n > 0))
                {
                    var node = pattern with { Counts = counts };
                    nodes.Add(Normalize(problem, useful, node) ?? node);
                }
            }
        }

        return nodes;
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
    private static PackingPattern? Normalize(PackingProblem problem, List<int> useful, PackingPattern node)
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

                long most = item.Total;
                for (var r = 0; r < item.Request.Length; r++)
                {
                    if (item.Request[r] > 0)
                    {
                        most = Math.Min(most, kind.Free[r] / item.Request[r]);
                    }
                }

                if (most > 0)
                {
                    seeds.Add((kind.Price / most + problem.TierPenalty * item.Tiers[kind.Pool], k, (int)most));
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
