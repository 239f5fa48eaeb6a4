using System.Globalization;
using Google.OrTools.Sat;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// The integer program over a component's columns (CP-SAT): nodes per column, pods credited per group and pool, pods
/// left out; the same lexicographic objective as the relaxation in integer micro-dollars. Optimal over the columns
/// given; with every column that could improve on the incumbent among them, optimal outright.
/// </summary>
internal static class ExactMaster
{
    private const double Scale = 1e6;

    public static (int[] Nodes, bool Optimal)? Solve(ExactModel model, List<int> pools, List<int> groups, ExactPenalties penalties,
        IReadOnlyList<ExactColumn> columns, IReadOnlyDictionary<int, int> hint, TimeSpan limit)
    {
        var cp = new CpModel();
        var x = columns.Select(c => cp.NewIntVar(0, c.Counts.Select((n, g) => n == 0 ? 0 : (model.Groups[g].Count + n - 1) / n).Max(), "")).ToArray();
        var objective = new List<LinearExpr>();
        for (var c = 0; c < columns.Count; c++)
        {
            objective.Add(LinearExpr.Term(x[c], (long)Math.Round(model.Kinds[columns[c].Kind].Price * Scale)));
            cp.AddHint(x[c], hint.GetValueOrDefault(c));
        }

        // The hint credits each group's pods to its pools in weight order, as far as the hinted columns cover them.
        var covered = new Dictionary<(int Group, int Pool), int>();
        foreach (var (c, n) in hint)
        {
            for (var g = 0; g < columns[c].Counts.Length; g++)
            {
                var key = (g, model.Kinds[columns[c].Kind].Pool);
                covered[key] = covered.GetValueOrDefault(key) + n * columns[c].Counts[g];
            }
        }

        foreach (var g in groups)
        {
            var credited = new List<LinearExpr>();
            var left = model.Groups[g].Count;
            foreach (var p in pools.Where(p => model.Tier[g, p] >= 0).OrderBy(p => model.Tier[g, p]))
            {
                var z = cp.NewIntVar(0, model.Groups[g].Count, "");
                var here = Math.Min(left, covered.GetValueOrDefault((g, p)));
                cp.AddHint(z, here);
                left -= here;
                credited.Add(z);
                objective.Add(LinearExpr.Term(z, (long)Math.Round(penalties.Tier * model.Tier[g, p] * Scale)));
                var covering = Enumerable.Range(0, columns.Count).Where(c => model.Kinds[columns[c].Kind].Pool == p && columns[c].Counts[g] > 0).ToList();
                cp.Add(LinearExpr.WeightedSum(covering.Select(c => x[c]), covering.Select(c => (long)columns[c].Counts[g])) >= z);
            }

            var missing = cp.NewIntVar(0, model.Groups[g].Count, "");
            cp.AddHint(missing, left);
            credited.Add(missing);
            objective.Add(LinearExpr.Term(missing, (long)Math.Round(penalties.Missing * Scale)));
            cp.Add(LinearExpr.Sum(credited) == model.Groups[g].Count);
        }

        foreach (var p in pools)
        {
            var inPool = Enumerable.Range(0, columns.Count).Where(c => model.Kinds[columns[c].Kind].Pool == p).ToList();
            for (var r = 0; r < model.Resources.Count; r++)
            {
                if (model.Limits[p][r] != long.MaxValue)
                {
                    cp.Add(LinearExpr.WeightedSum(inPool.Select(c => x[c]), inPool.Select(c => model.Kinds[columns[c].Kind].Capacity[r])) <= model.Limits[p][r]);
                }
            }

            if (model.NodeLimits[p] != int.MaxValue)
            {
                cp.Add(LinearExpr.Sum(inPool.Select(c => x[c])) <= model.NodeLimits[p]);
            }
        }

        cp.Minimize(LinearExpr.Sum(objective));
        using var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture, $"num_workers:2,max_time_in_seconds:{limit.TotalSeconds}"),
        };
        var status = solver.Solve(cp);
        return status is CpSolverStatus.Optimal or CpSolverStatus.Feasible
            ? ([.. x.Select(v => (int)solver.Value(v))], status == CpSolverStatus.Optimal)
            : null;
    }
}
