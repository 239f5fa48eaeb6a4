using System.Globalization;
using Google.OrTools.Sat;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Chooses how many nodes of each pattern to buy (CP-SAT, one worker, fixed seed and deterministic time limit, so the
/// same columns give the same answer), starting from the greedy plan's nodes as a hint. Prices are scaled to integer
/// micro-dollars; the caller judges the answer at the real prices.
/// </summary>
internal static class IntegerMaster
{
    private const double Scale = 1e6;

    /// <summary>Nodes per column, or null when CP-SAT found no solution in time.</summary>
    public static int[]? Solve(PackingProblem problem, ColumnSet columns, IReadOnlyDictionary<int, int> hint, int seed, double deterministicSeconds, CancellationToken cancellation)
    {
        var model = new CpModel();
        var items = problem.Items;
        var x = new IntVar[columns.Count];
        var cover = items.Select(_ => new List<LinearExpr>()).ToArray();
        var limits = problem.Limits.Select(_ => new List<LinearExpr>()).ToArray();
        var objective = new List<LinearExpr>();
        for (var c = 0; c < columns.Count; c++)
        {
            var counts = columns.All[c].Counts;
            // No more copies of a pattern than it takes to cover the item it holds most of.
            var most = 0L;
            for (var i = 0; i < items.Count; i++)
            {
                if (counts[i] > 0)
                {
                    most = Math.Max(most, (items[i].Total + counts[i] - 1) / counts[i]);
                }
            }

            x[c] = model.NewIntVar(0, Math.Min(most, problem.NodeLimit), "");
            objective.Add(LinearExpr.Term(x[c], (long)Math.Round(columns.Cost(c) * Scale)));
            for (var i = 0; i < items.Count; i++)
            {
                if (counts[i] > 0)
                {
                    cover[i].Add(LinearExpr.Term(x[c], counts[i]));
                }
            }

            var capacity = problem.Kinds[columns.All[c].Kind].Capacity;
            for (var r = 0; r < problem.Limits.Length; r++)
            {
                if (problem.Limited(r) && capacity[r] > 0)
                {
                    limits[r].Add(LinearExpr.Term(x[c], capacity[r]));
                }
            }

            model.AddHint(x[c], hint.GetValueOrDefault(c));
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Optional > 0)
            {
                var missing = model.NewIntVar(0, items[i].Optional, "");
                cover[i].Add(missing);
                objective.Add(LinearExpr.Term(missing, (long)Math.Round(items[i].Reward * Scale)));
                model.AddHint(missing, items[i].Optional);
            }

            model.Add(LinearExpr.Sum(cover[i]) >= items[i].Total);
        }

        for (var r = 0; r < problem.Limits.Length; r++)
        {
            if (limits[r].Count > 0)
            {
                model.Add(LinearExpr.Sum(limits[r]) <= problem.Limits[r]);
            }
        }

        if (problem.NodeLimit != int.MaxValue)
        {
            model.Add(LinearExpr.Sum(x) <= problem.NodeLimit);
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
