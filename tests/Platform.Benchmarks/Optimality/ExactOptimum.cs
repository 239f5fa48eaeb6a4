namespace Platform.Benchmarks.Optimality;

/// <summary>
/// The weight-respecting optimum of a batch: the most pods placed, then the fewest pods below their first pool by
/// weight, then the least cost. Per component of pools: column generation with exact pricing gives a lower bound; the
/// integer program over the columns (the plan's nodes among them) gives the incumbent; then every maximal column whose
/// reduced cost is within the gap between them is enumerated and the integer program solved again, which proves the
/// optimum when the enumeration stays under its cap and CP-SAT proves optimality.
/// </summary>
internal static class ExactOptimum
{
    private const int SeedKinds = 3;

    public static ExactResult Solve(ExactModel model, IReadOnlyList<ExactColumn> plan, TimeSpan masterLimit, int enumerationCap)
    {
        var useful = model.Useful();
        var result = new ExactResult(0, 0, 0, 0, true, 0, []);
        foreach (var (pools, groups) in model.Components())
        {
            result += SolveComponent(model, useful.Where(k => pools.Contains(model.Kinds[k].Pool)).ToList(), pools, groups, ExactPenalties.For(model, pools, groups),
                plan.Where(c => pools.Contains(model.Kinds[c.Kind].Pool)).ToList(), masterLimit, enumerationCap);
        }

        return result;
    }

    private static ExactResult SolveComponent(ExactModel model, List<int> useful, List<int> pools, List<int> groups, ExactPenalties penalties,
        List<ExactColumn> plan, TimeSpan masterLimit, int enumerationCap)
    {
        var columns = new List<ExactColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var relaxation = new ExactRelaxation(model, pools, groups, penalties);
        int Add(ExactColumn column)
        {
            var key = column.Kind + ":" + string.Join(",", column.Counts);
            if (!seen.Add(key))
            {
                return columns.FindIndex(c => c.Kind == column.Kind && c.Counts.AsSpan().SequenceEqual(column.Counts));
            }

            columns.Add(column);
            relaxation.Add(column);
            return columns.Count - 1;
        }

        var hint = new Dictionary<int, int>();
        foreach (var column in plan)
        {
            var index = Add(column);
            hint[index] = hint.GetValueOrDefault(index) + 1;
        }

        foreach (var g in groups)
        {
            foreach (var k in useful.Where(k => model.Kinds[k].Allows[g])
                .Select(k => (k, n: Most(model, g, k))).Where(x => x.n > 0).OrderBy(x => model.Kinds[x.k].Price / x.n).ThenBy(x => x.k).Take(SeedKinds).Select(x => x.k).ToList())
            {
                var counts = new int[model.Groups.Count];
                counts[g] = Most(model, g, k);
                Add(new ExactColumn(k, counts));
            }
        }

        var pricing = new ExactPricing(model, groups);
        while (true)
        {
            relaxation.Solve();
            var duals = pools.ToDictionary(p => p, relaxation.Duals);
            var added = Round(k => pricing.Greedy(k, duals[model.Kinds[k].Pool])) || Round(k => pricing.Best(k, duals[model.Kinds[k].Pool]));
            if (!added)
            {
                break;
            }

            // Priced at this solution's duals, added after: adding a column invalidates them.
            bool Round(Func<int, ExactColumn?> price)
            {
                var found = new List<ExactColumn>();
                foreach (var k in useful)
                {
                    if (price(k) is { } column && relaxation.KindCost(k) - ExactPricing.Value(column, duals[model.Kinds[k].Pool]) < -1e-7)
                    {
                        found.Add(column);
                    }
                }

                var before = columns.Count;
                found.ForEach(c => Add(c));
                return columns.Count > before;
            }
        }

        var bound = relaxation.Objective;
        var solved = ExactMaster.Solve(model, pools, groups, penalties, columns, hint, masterLimit)
            ?? throw new InvalidOperationException("the integer program found no solution, not even the plan's");
        var incumbent = Measure(model, groups, columns, solved.Nodes, penalties);
        var chosen = solved.Nodes;
        var proven = solved.Optimal && pricing.Exact && incumbent.Penalized - bound <= 1e-6 * Math.Max(1, incumbent.Cost);
        if (!proven && pricing.Exact)
        {
            // Only columns whose reduced cost is within the gap can be part of a better plan.
            var gap = incumbent.Penalized - bound;
            var duals = pools.ToDictionary(p => p, relaxation.Duals);
            var costs = useful.ToDictionary(k => k, relaxation.KindCost);
            var enumerated = new List<ExactColumn>();
            var complete = true;
            foreach (var k in useful)
            {
                var found = pricing.Enumerate(k, duals[model.Kinds[k].Pool], costs[k] - gap, enumerationCap - enumerated.Count);
                if (found is null)
                {
                    complete = false;
                    break;
                }

                enumerated.AddRange(found);
            }

            if (complete)
            {
                var before = columns.Count;
                foreach (var column in enumerated)
                {
                    Add(column);
                }

                var again = ExactMaster.Solve(model, pools, groups, penalties, columns,
                    Enumerable.Range(0, before).ToDictionary(c => c, c => solved.Nodes[c]), masterLimit);
                if (again is { } better)
                {
                    incumbent = Measure(model, groups, columns, better.Nodes, penalties);
                    chosen = better.Nodes;
                    proven = better.Optimal;
                }
            }
        }

        var lowerBound = proven ? incumbent.Cost : Math.Max(0, bound - (incumbent.Penalized - incumbent.Cost));
        var nodes = chosen.Select((n, c) => (Column: columns[c], Copies: n)).Where(x => x.Copies > 0).ToList();
        return new ExactResult(incumbent.Cost, lowerBound, incumbent.Placed, incumbent.Tiers, proven, columns.Count, nodes);
    }

    private static (double Cost, double Penalized, int Placed, int Tiers) Measure(ExactModel model, List<int> groups, List<ExactColumn> columns, int[] nodes, ExactPenalties penalties)
    {
        var cost = 0.0;
        var covered = new Dictionary<(int Group, int Pool), int>();
        for (var c = 0; c < columns.Count; c++)
        {
            var kind = model.Kinds[columns[c].Kind];
            cost += nodes[c] * kind.Price;
            for (var g = 0; g < columns[c].Counts.Length; g++)
            {
                covered[(g, kind.Pool)] = covered.GetValueOrDefault((g, kind.Pool)) + nodes[c] * columns[c].Counts[g];
            }
        }

        // Each group's pods fill its pools in weight order, as far as the columns bought there hold them.
        var placed = 0;
        var tiers = 0;
        foreach (var g in groups)
        {
            var left = model.Groups[g].Count;
            for (var p = 0; p < model.Pools.Count && left > 0; p++)
            {
                if (model.Tier[g, p] >= 0)
                {
                    var here = Math.Min(left, covered.GetValueOrDefault((g, p)));
                    placed += here;
                    tiers += here * model.Tier[g, p];
                    left -= here;
                }
            }
        }

        var unplaced = groups.Sum(g => model.Groups[g].Count) - placed;
        return (cost, cost + tiers * penalties.Tier + unplaced * penalties.Missing, placed, tiers);
    }

    private static int Most(ExactModel model, int g, int k)
    {
        long most = model.Groups[g].Count;
        for (var r = 0; r < model.Resources.Count; r++)
        {
            if (model.Groups[g].Request[r] > 0)
            {
                most = Math.Min(most, model.Kinds[k].Free[r] / model.Groups[g].Request[r]);
            }
        }

        return (int)most;
    }
}

/// <summary>The optimum's cost (or the best found), a lower bound on it, its placement profile, whether it is proven, and its nodes.</summary>
internal sealed record ExactResult(double Cost, double LowerBound, int Placed, int Tiers, bool Proven, int Columns, IReadOnlyList<(ExactColumn Column, int Copies)> Nodes)
{
    public static ExactResult operator +(ExactResult a, ExactResult b) =>
        new(a.Cost + b.Cost, a.LowerBound + b.LowerBound, a.Placed + b.Placed, a.Tiers + b.Tiers, a.Proven && b.Proven, a.Columns + b.Columns, [.. a.Nodes, .. b.Nodes]);
}
