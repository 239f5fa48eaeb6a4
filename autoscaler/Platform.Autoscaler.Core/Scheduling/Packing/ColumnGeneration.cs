namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// The relaxation over the patterns found so far and the pricing that finds more: each round solves the relaxation and
/// adds, per useful kind, the pattern of most negative reduced cost at its duals. Used for the relaxation's optimum and
/// again after each bound a dive sets.
/// </summary>
internal sealed class ColumnGeneration(PackingProblem problem, List<int> useful, ColumnSet columns, LinearMaster master, PatternPricing pricing)
{
    /// <summary>Patterns kept at most.</summary>
    public const int MaxColumns = 3000;

    public LinearMaster Master => master;

    public ColumnSet Columns => columns;

    /// <summary>
    /// Solves the relaxation and prices new patterns for at most <paramref name="rounds"/> rounds; false when the
    /// relaxation has no optimum (infeasible bounds, or numerical trouble) or the deadline passed.
    /// </summary>
    public bool Run(int rounds, PackingDeadline deadline)
    {
        for (var round = 0; round < rounds && !deadline.Passed; round++)
        {
            if (!master.Solve())
            {
                return false;
            }

            if (columns.Count >= MaxColumns || AddPricedColumns() == 0)
            {
                return true;
            }
        }

        return !deadline.Passed && master.Solve();
    }

    private int AddPricedColumns()
    {
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
            var normalized = PackingSolver.Normalize(problem, useful, pattern) ?? pattern;
            if (columns.Add(normalized) >= 0)
            {
                master.Add(normalized);
                added++;
            }
        }

        return added;
    }
}
