using System.Globalization;
using Google.OrTools.Sat;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Chooses how many nodes of each pattern to buy (CP-SAT, one worker, fixed seed and deterministic time limit, so the
/// same columns give the same answer). Prices are scaled to integer micro-dollars; the caller judges the answer at the
/// real prices.
/// </summary>
internal static class IntegerMaster
{
    private const double Scale = 1e6;

    /// <summary>Nodes per column, or null when CP-SAT found no solution in time.</summary>
    public static int[]? Solve(PackingProblem problem, ColumnSet columns, int seed, double deterministicSeconds, CancellationToken cancellation)
    {
        var model = new CpModel();
        var items = problem.Items;
        var x = new IntVar[columns.Count];
        var cover = items.Select(_ => new List<LinearExpr>()).ToArray();
        var limits = new Dictionary<(int Pool, int Resource), List<LinearExpr>>();
        var nodes = new Dictionary<int, List<LinearExpr>>();
        var objective = new List<LinearExpr>();
        for (var c = 0; c < columns.Count; c++)
        {
            var counts = columns.All[c].Counts;
            var kind = problem.Kinds[columns.All[c].Kind];
            var pool = problem.Pools[kind.Pool];
            // No more copies of a pattern than it takes to cover the item it holds most of.
            var most = 0L;
            for (var i = 0; i < items.Count; i++)
            {
                if (counts[i] > 0)
                {
                    most = Math.Max(most, (items[i].Total + counts[i] - 1) / counts[i]);
                    most = Math.Min(most, pool.NodeLimit);
                }
            }

            x[c] = model.NewIntVar(0, most, "");
            objective.Add(LinearExpr.Term(x[c], (long)Math.Round(columns.Cost(c) * Scale)));
            for (var i = 0; i < items.Count; i++)
            {
                if (counts[i] > 0)
                {
                    cover[i].Add(LinearExpr.Term(x[c], counts[i]));
                }
            }

            for (var r = 0; r < kind.Capacity.Length; r++)
            {
                if (pool.Limited(r) && kind.Capacity[r] > 0)
                {
                    (limits.TryGetValue((kind.Pool, r), out var terms) ? terms : limits[(kind.Pool, r)] = []).Add(LinearExpr.Term(x[c], kind.Capacity[r]));
                }
            }

            if (pool.NodeLimit != int.MaxValue)
            {
                (nodes.TryGetValue(kind.Pool, out var terms) ? terms : nodes[kind.Pool] = []).Add(x[c]);
            }

        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Optional > 0)
            {
                var missing = model.NewIntVar(0, items[i].Optional, "");
                cover[i].Add(missing);
                objective.Add(LinearExpr.Term(missing, (long)Math.Round(items[i].Reward * Scale)));
            }

            model.Add(LinearExpr.Sum(cover[i]) >= items[i].Total);
        }

        foreach (var ((pool, r), terms) in limits)
        {
            model.Add(LinearExpr.Sum(terms) <= problem.Pools[pool].Limits[r]);
        }

        foreach (var (pool, terms) in nodes)
        {
            model.Add(LinearExpr.Sum(terms) <= problem.Pools[pool].NodeLimit);
        }

        model.Minimize(LinearExpr.Sum(objective));
        using var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture, $"num_workers:1,random_seed:{seed},max_deterministic_time:{deterministicSeconds}"),
        };
        using var stop = cancellation.Register(solver.StopSearch);
        var status = solver.Solve(model);
        return status is CpSolverStatus.Optimal or CpSolverStatus.Feasible ? [.. x.Select(v => (int)solver.Value(v))] : null;
    }
}
