using Google.OrTools.Sat;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// Patterns for one kind at given duals: a quick greedy fill, the exact best (CP-SAT knapsack), and every maximal
/// pattern worth at least a threshold (depth-first, pruned by a bound per resource). With covering rows a pattern
/// is never needed when a larger pattern of the same kind holds it, so maximal patterns are enough.
/// </summary>
internal sealed class ExactPricing(ExactModel model, List<int> groups)
{
    public ExactColumn? Greedy(int k, double[] duals)
    {
        var kind = model.Kinds[k];
        var left = (long[])kind.Free.Clone();
        var counts = new int[model.Groups.Count];
        var any = false;
        foreach (var g in Candidates(k, duals).OrderByDescending(g => duals[g] / Share(g, kind.Free)).ThenBy(g => g))
        {
            var take = Most(g, left, model.Groups[g].Count);
            if (take > 0)
            {
                counts[g] = take;
                Use(left, g, take);
                any = true;
            }
        }

        return any ? new ExactColumn(k, counts) : null;
    }

    /// <summary>False once a knapsack was not solved to optimality: the relaxation's objective is then no proven bound.</summary>
    public bool Exact { get; private set; } = true;

    /// <summary>The pattern of the kind worth the most at the duals, solved exactly.</summary>
    public ExactColumn? Best(int k, double[] duals)
    {
        var candidates = Candidates(k, duals).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var kind = model.Kinds[k];
        var cp = new CpModel();
        var take = candidates.ToDictionary(g => g, g => cp.NewIntVar(0, Most(g, kind.Free, model.Groups[g].Count), ""));
        for (var r = 0; r < model.Resources.Count; r++)
        {
            var used = candidates.Where(g => model.Groups[g].Request[r] > 0).ToList();
            if (used.Count > 0)
            {
                cp.Add(LinearExpr.WeightedSum(used.Select(g => take[g]), used.Select(g => model.Groups[g].Request[r])) <= kind.Free[r]);
            }
        }

        var scale = 1e9 / Math.Max(1, candidates.Max(g => duals[g]));
        cp.Maximize(LinearExpr.WeightedSum(candidates.Select(g => take[g]), candidates.Select(g => (long)Math.Round(duals[g] * scale))));
        using var solver = new CpSolver { StringParameters = "num_workers:1,max_time_in_seconds:10" };
        var status = solver.Solve(cp);
        Exact &= status == CpSolverStatus.Optimal;
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return null;
        }

        var counts = new int[model.Groups.Count];
        foreach (var (g, v) in take)
        {
            counts[g] = (int)solver.Value(v);
        }

        return new ExactColumn(k, counts);
    }

    /// <summary>Every maximal pattern of the kind worth at least <paramref name="least"/>; null when there are more than <paramref name="cap"/>.</summary>
    public List<ExactColumn>? Enumerate(int k, double[] duals, double least, int cap)
    {
        var kind = model.Kinds[k];
        var order = groups.Where(g => kind.Allows[g] && ExactModel.Fits(model.Groups[g].Request, kind.Free))
            .OrderByDescending(g => duals[g]).ThenBy(g => g).ToArray();
        var dims = model.Resources.Count;
        // Suffix bounds: the best dual per unit of each resource among the groups still to decide.
        var ratio = new double[order.Length + 1, dims];
        var bounded = new bool[order.Length + 1, dims];
        for (var r = 0; r < dims; r++)
        {
            bounded[order.Length, r] = true;
        }

        for (var p = order.Length - 1; p >= 0; p--)
        {
            for (var r = 0; r < dims; r++)
            {
                var need = model.Groups[order[p]].Request[r];
                bounded[p, r] = bounded[p + 1, r] && need > 0;
                ratio[p, r] = bounded[p, r] ? Math.Max(ratio[p + 1, r], duals[order[p]] / need) : 0;
            }
        }

        var found = new List<ExactColumn>();
        var counts = new int[model.Groups.Count];
        var left = (long[])kind.Free.Clone();
        var overflow = false;
        void Visit(int p, double value)
        {
            if (overflow)
            {
                return;
            }

            if (p == order.Length)
            {
                if (value >= least - 1e-9 && order.All(g => counts[g] == model.Groups[g].Count || Most(g, left, 1) == 0))
                {
                    found.Add(new ExactColumn(k, (int[])counts.Clone()));
                    overflow = found.Count > cap;
                }

                return;
            }

            var bound = double.MaxValue;
            for (var r = 0; r < dims; r++)
            {
                if (bounded[p, r])
                {
                    bound = Math.Min(bound, ratio[p, r] * left[r]);
                }
            }

            if (value + bound < least - 1e-9)
            {
                return;
            }

            var g = order[p];
            for (var take = Most(g, left, model.Groups[g].Count); take >= 0 && !overflow; take--)
            {
                counts[g] = take;
                Use(left, g, take);
                Visit(p + 1, value + take * duals[g]);
                Use(left, g, -take);
            }

            counts[g] = 0;
        }

        Visit(0, 0);
        return overflow ? null : found;
    }

    public static double Value(ExactColumn column, double[] duals) => column.Counts.Select((n, g) => n * duals[g]).Sum();

    private IEnumerable<int> Candidates(int k, double[] duals) =>
        groups.Where(g => duals[g] > 1e-12 && model.Kinds[k].Allows[g] && ExactModel.Fits(model.Groups[g].Request, model.Kinds[k].Free));

    private double Share(int g, long[] free)
    {
        var share = 1e-12;
        for (var r = 0; r < free.Length; r++)
        {
            if (model.Groups[g].Request[r] > 0)
            {
                share = Math.Max(share, (double)model.Groups[g].Request[r] / free[r]);
            }
        }

        return share;
    }

    private int Most(int g, long[] left, int most)
    {
        long fit = most;
        for (var r = 0; r < left.Length; r++)
        {
            if (model.Groups[g].Request[r] > 0)
            {
                fit = Math.Min(fit, left[r] / model.Groups[g].Request[r]);
            }
        }

        return (int)Math.Max(0, fit);
    }

    private void Use(long[] left, int g, int times)
    {
        for (var r = 0; r < left.Length; r++)
        {
            left[r] -= model.Groups[g].Request[r] * times;
        }
    }
}
