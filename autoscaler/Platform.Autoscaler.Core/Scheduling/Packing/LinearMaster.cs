using Google.OrTools.LinearSolver;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// The linear relaxation of the re-pack over the patterns found so far (GLOP): cover every item (optional ones may go
/// unplaced at their reward), keep each pool's limits and node count. Its duals price new patterns.
/// </summary>
internal sealed class LinearMaster : IDisposable
{
    private readonly PackingProblem problem;
    private readonly Solver solver;
    private readonly Constraint[] cover;
    private readonly Dictionary<(int Pool, int Resource), Constraint> limits = [];
    private readonly Dictionary<int, Constraint> nodes = [];
    private readonly List<Variable> columns = [];

    public LinearMaster(PackingProblem problem)
    {
        this.problem = problem;
        solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is unavailable");
        var objective = solver.Objective();
        objective.SetMinimization();
        cover = new Constraint[problem.Items.Count];
        for (var i = 0; i < problem.Items.Count; i++)
        {
            var item = problem.Items[i];
            cover[i] = solver.MakeConstraint(item.Total, double.PositiveInfinity);
            if (item.Optional > 0)
            {
                var missing = solver.MakeNumVar(0, item.Optional, "");
                cover[i].SetCoefficient(missing, 1);
                objective.SetCoefficient(missing, item.Reward);
            }
        }

        for (var p = 0; p < problem.Pools.Count; p++)
        {
            for (var r = 0; r < problem.Pools[p].Limits.Length; r++)
            {
                if (problem.Pools[p].Limited(r))
                {
                    // Scaled to 1: bytes and millicores side by side defeat the simplex.
                    limits[(p, r)] = solver.MakeConstraint(double.NegativeInfinity, 1);
                }
            }

            if (problem.Pools[p].NodeLimit != int.MaxValue)
            {
                nodes[p] = solver.MakeConstraint(double.NegativeInfinity, problem.Pools[p].NodeLimit);
            }
        }
    }

    public double Objective { get; private set; }

    public void Add(PackingPattern pattern)
    {
        var kind = problem.Kinds[pattern.Kind];
        var x = solver.MakeNumVar(0, double.PositiveInfinity, "");
        solver.Objective().SetCoefficient(x, problem.Cost(pattern));
        for (var i = 0; i < pattern.Counts.Length; i++)
        {
            if (pattern.Counts[i] > 0)
            {
                cover[i].SetCoefficient(x, pattern.Counts[i]);
            }
        }

        for (var r = 0; r < kind.Capacity.Length; r++)
        {
            if (limits.TryGetValue((kind.Pool, r), out var row))
            {
                row.SetCoefficient(x, (double)kind.Capacity[r] / Math.Max(1, problem.Pools[kind.Pool].Limits[r]));
            }
        }

        if (nodes.TryGetValue(kind.Pool, out var count))
        {
            count.SetCoefficient(x, 1);
        }

        columns.Add(x);
    }

    /// <summary>Bounds how many nodes of a column (by the order added) the relaxation may buy.</summary>
    public void SetBounds(int column, double lower, double upper) => columns[column].SetBounds(lower, upper);

    /// <summary>How many nodes of each column (in the order added) the relaxation's optimum buys.</summary>
    public double[] ColumnValues() => [.. columns.Select(x => x.SolutionValue())];

    /// <summary>Solves; false when the relaxation has no optimum (numerical trouble: the start is feasible).</summary>
    public bool Solve()
    {
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return false;
        }

        Objective = solver.Objective().Value();
        return true;
    }

    /// <summary>Per item, the dual price of covering one more pod. Read before adding columns: adding one invalidates them.</summary>
    public double[] CoverDuals() => [.. cover.Select(c => Math.Max(0, c.DualValue()))];

    /// <summary>What buying one node of the kind costs at the current duals of its pool's limits and node count.</summary>
    public double KindCost(int k)
    {
        var kind = problem.Kinds[k];
        var cost = kind.Price;
        for (var r = 0; r < kind.Capacity.Length; r++)
        {
            if (limits.TryGetValue((kind.Pool, r), out var row))
            {
                cost -= Math.Min(0, row.DualValue()) * kind.Capacity[r] / Math.Max(1, problem.Pools[kind.Pool].Limits[r]);
            }
        }

        return cost - (nodes.TryGetValue(kind.Pool, out var count) ? Math.Min(0, count.DualValue()) : 0);
    }

    public void Dispose() => solver.Dispose();
}
