using Google.OrTools.LinearSolver;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// The linear relaxation of the re-pack over the patterns found so far (GLOP): cover every item (optional ones may go
/// unplaced at their reward), keep the pool's limits and node count. Its duals price new patterns.
/// </summary>
internal sealed class LinearMaster : IDisposable
{
    private readonly PackingProblem problem;
    private readonly Solver solver;
    private readonly Constraint[] cover;
    private readonly List<(int Resource, Constraint Row)> limits = [];
    private readonly Constraint? nodes;
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

        for (var r = 0; r < problem.Limits.Length; r++)
        {
            if (problem.Limited(r))
            {
                // Scaled to 1: bytes and millicores side by side defeat the simplex.
                limits.Add((r, solver.MakeConstraint(double.NegativeInfinity, 1)));
            }
        }

        if (problem.NodeLimit != int.MaxValue)
        {
            nodes = solver.MakeConstraint(double.NegativeInfinity, problem.NodeLimit);
        }
    }

    public double Objective { get; private set; }

    public void Add(PackingPattern pattern)
    {
        var kind = problem.Kinds[pattern.Kind];
        var x = solver.MakeNumVar(0, double.PositiveInfinity, "");
        solver.Objective().SetCoefficient(x, kind.Price);
        for (var i = 0; i < pattern.Counts.Length; i++)
        {
            if (pattern.Counts[i] > 0)
            {
                cover[i].SetCoefficient(x, pattern.Counts[i]);
            }
        }

        foreach (var (r, row) in limits)
        {
            row.SetCoefficient(x, (double)kind.Capacity[r] / problem.Limits[r]);
        }

        nodes?.SetCoefficient(x, 1);
        columns.Add(x);
    }

    /// <summary>Solves; false when the relaxation has no optimum (infeasible: the start plan breaks a limit).</summary>
    public bool Solve()
    {
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return false;
        }

        Objective = solver.Objective().Value();
        return true;
    }

    /// <summary>Per item, the dual price of covering one more pod.</summary>
    public double[] CoverDuals() => [.. cover.Select(c => Math.Max(0, c.DualValue()))];

    /// <summary>What buying one node of the kind costs at the current duals of the limits and the node count.</summary>
    public double KindCost(int kind)
    {
        var cost = problem.Kinds[kind].Price;
        foreach (var (r, row) in limits)
        {
            cost -= Math.Min(0, row.DualValue()) * problem.Kinds[kind].Capacity[r] / problem.Limits[r];
        }

        return cost - Math.Min(0, nodes?.DualValue() ?? 0);
    }

    public void Dispose() => solver.Dispose();
}
