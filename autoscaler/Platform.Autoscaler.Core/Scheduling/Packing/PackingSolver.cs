namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Re-packs one pool's items onto the cheapest nodes it can find: column generation over node patterns (GLOP for the
/// relaxation, <see cref="PatternPricing"/> for new patterns), then CP-SAT over every pattern found, with the greedy
/// plan's nodes among them and as the hint, so the answer is never worse than the start at the solver's prices.
/// The work is bounded by the constants below, never by a clock; the deadline only cuts it short.
/// </summary>
internal static class PackingSolver
{
    /// <summary>Rounds of pricing; most re-packs converge in a handful.</summary>
    public const int MaxRounds = 30;

    /// <summary>Patterns kept at most.</summary>
    public const int MaxColumns = 3000;

    /// <summary>Branch-and-bound nodes the pricing may spend over the whole re-pack.</summary>
    public const long BranchNodes = 50_000;

    /// <summary>CP-SAT's deterministic time limit (its own work units, about seconds on a fast core).</summary>
    public const double SatDeterministicSeconds = 0.1;

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
        var hint = new Dictionary<int, int>();
        var start = problem.Items.Sum(i => i.Reward * i.Optional);
        foreach (var node in problem.Start)
        {
            var pattern = Normalize(problem, useful, node.Counts, problem.Kinds[node.Kind].Capacity) ?? node;
            var index = columns.Add(pattern);
            index = index >= 0 ? index : columns.IndexOf(pattern);
            hint[index] = hint.GetValueOrDefault(index) + 1;
            start += problem.Kinds[pattern.Kind].Price;
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
            var found = new List<(double ReducedCost, PackingPattern Pattern)>();
            foreach (var kind in useful)
            {
                var cost = master.KindCost(kind);
                if (pricing.Best(kind, duals) is { } best && cost - best.Value < -1e-9 * Math.Max(1, cost))
                {
                    found.Add((cost - best.Value, new PackingPattern(kind, best.Counts)));
                }
            }

            var added = 0;
            foreach (var (_, pattern) in found.OrderBy(f => f.ReducedCost).ThenBy(f => f.Pattern.Kind))
            {
                var normalized = Normalize(problem, useful, pattern.Counts, problem.Kinds[pattern.Kind].Capacity) ?? pattern;
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

        // Nothing in the relaxation beats the start: neither can a whole number of the same patterns.
        if (deadline.Passed || (solved && master.Objective >= start - 1e-9 * Math.Max(1, start)))
        {
            return null;
        }

        if (IntegerMaster.Solve(problem, columns, hint, seed, SatDeterministicSeconds, deadline.Token) is not { } chosen)
        {
            return null;
        }

        return Nodes(problem, useful, columns, chosen);
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
                    nodes.Add(Normalize(problem, useful, counts, problem.Kinds[pattern.Kind].Capacity) ?? pattern with { Counts = counts });
                }
            }
        }

        return nodes;
    }

    /// <summary>
    /// Kinds worth considering, cheapest first: each admits some item, fits the limits alone, and no other kind is as
    /// cheap with as much room for at least the same items and no more capacity counted against the limits.
    /// </summary>
    private static List<int> UsefulKinds(PackingProblem problem)
    {
        var candidates = Enumerable.Range(0, problem.Kinds.Count)
            .Where(k => !problem.Kinds[k].Allows.IsEmpty && WithinLimits(problem, problem.Kinds[k].Capacity, problem.Limits))
            .OrderBy(k => problem.Kinds[k].Price).ThenBy(k => k)
            .ToList();
        var kept = new List<int>();
        foreach (var k in candidates)
        {
            var kind = problem.Kinds[k];
            var dominated = kept.Any(j =>
                problem.Kinds[j].Allows.Covers(kind.Allows)
                && ResourceIndex.Fits(kind.Free, problem.Kinds[j].Free)
                && WithinLimits(problem, problem.Kinds[j].Capacity, kind.Capacity));
            if (!dominated)
            {
                kept.Add(k);
            }
        }

        return kept;
    }

    private static bool WithinLimits(PackingProblem problem, long[] capacity, long[] bound)
    {
        for (var r = 0; r < capacity.Length; r++)
        {
            if (problem.Limited(r) && capacity[r] > bound[r])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The cheapest useful kind that holds the counts and counts no more against the limits than <paramref name="bound"/>.</summary>
    private static PackingPattern? Normalize(PackingProblem problem, List<int> useful, int[] counts, long[] bound)
    {
        var need = new long[problem.Limits.Length];
        var items = new ItemSet(problem.Items.Count);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                ResourceIndex.AddTo(need, problem.Items[i].Request, counts[i]);
                items.Add(i);
            }
        }

        foreach (var k in useful)
        {
            var kind = problem.Kinds[k];
            if (kind.Allows.Covers(items) && ResourceIndex.Fits(need, kind.Free) && WithinLimits(problem, kind.Capacity, bound))
            {
                return new PackingPattern(k, counts);
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
                    seeds.Add((kind.Price / most, k, (int)most));
                }
            }

            foreach (var (_, kind, count) in seeds.OrderBy(s => s.PerPod).ThenBy(s => s.Kind).Take(SeedKindsPerItem))
            {
                var counts = new int[problem.Items.Count];
                counts[i] = count;
                columns.Add(new PackingPattern(kind, counts));
            }
        }
    }
}
