using System.Globalization;
using Google.OrTools.LinearSolver;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Chooses how many nodes of each pattern to buy: a small integer program solved by SCIP (single-threaded, so the same
/// columns give the same answer), its branch and bound bounded by a node count. A node costs its price; an item's pods
/// are credited to the pools whose nodes hold them, each at its tier's penalty there, so a pattern holding more pods
/// than are left costs nothing for them and the largest patterns of a kind are enough. SCIP rather than CP-SAT: these
/// are covering programs with a tight linear bound, where CP-SAT's single worker spent its limit without closing it
/// (a 169-pattern Neuron re-pack: CP-SAT feasible after 311 ms, SCIP optimal at its root in 26 ms).
/// </summary>
internal static class IntegerMaster
{
    /// <summary>Nodes per column, or null when SCIP found no solution (or was stopped first).</summary>
    /// <param name="hint">Nodes per column of a known solution, where the search starts.</param>
    /// <param name="seed">Shifts SCIP's random seeds.</param>
    /// <param name="branchNodes">SCIP's node limit: the fixed work the search may spend.</param>
    public static int[]? Solve(PackingProblem problem, IReadOnlyList<PackingPattern> columns, int[]? hint, int seed, long branchNodes, CancellationToken cancellation)
    {
        using var solver = Solver.CreateSolver("SCIP") ?? throw new InvalidOperationException("OR-Tools SCIP is unavailable");
        var items = problem.Items;
        var objective = solver.Objective();
        objective.SetMinimization();
        var held = new Dictionary<(int Item, int Pool), Constraint>();
        for (var i = 0; i < items.Count; i++)
        {
            var total = solver.MakeConstraint(items[i].Total, double.PositiveInfinity);
            if (items[i].Optional > 0)
            {
                var missing = solver.MakeIntVar(0, items[i].Optional, "");
                total.SetCoefficient(missing, 1);
                objective.SetCoefficient(missing, items[i].Reward);
            }

            // Pods credited to each pool, no more than its nodes hold.
            for (var p = 0; p < problem.Pools.Count; p++)
            {
                if (items[i].Tiers[p] >= 0)
                {
                    var credited = solver.MakeNumVar(0, items[i].Total, "");
                    objective.SetCoefficient(credited, problem.TierPenalty * items[i].Tiers[p]);
                    total.SetCoefficient(credited, 1);
                    var row = solver.MakeConstraint(0, double.PositiveInfinity);
                    row.SetCoefficient(credited, -1);
                    held[(i, p)] = row;
                }
            }
        }

        var limits = new Dictionary<(int Pool, int Resource), Constraint>();
        var nodes = new Dictionary<int, Constraint>();
        for (var p = 0; p < problem.Pools.Count; p++)
        {
            var pool = problem.Pools[p];
            for (var r = 0; r < pool.Limits.Length; r++)
            {
                if (pool.Limited(r))
                {
                    limits[(p, r)] = solver.MakeConstraint(double.NegativeInfinity, pool.Limits[r]);
                }
            }

            if (pool.NodeLimit != int.MaxValue)
            {
                nodes[p] = solver.MakeConstraint(double.NegativeInfinity, pool.NodeLimit);
            }
        }

        var x = new Variable[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var kind = problem.Kinds[columns[c].Kind];
            // No more copies of a pattern than it takes to hold the item it holds most of.
            var most = columns[c].Counts.Select((n, i) => n == 0 ? 0 : (items[i].Total + n - 1) / n).Max();
            x[c] = solver.MakeIntVar(0, most, "");
            objective.SetCoefficient(x[c], kind.Price);
            for (var i = 0; i < items.Count; i++)
            {
                if (columns[c].Counts[i] > 0)
                {
                    if (!held.TryGetValue((i, kind.Pool), out var row))
                    {
                        return null; // a pattern holding an item its pool may not take: not this problem's column
                    }

                    row.SetCoefficient(x[c], columns[c].Counts[i]);
                }
            }

            for (var r = 0; r < kind.Capacity.Length; r++)
            {
                if (limits.TryGetValue((kind.Pool, r), out var row))
                {
                    row.SetCoefficient(x[c], kind.Capacity[r]);
                }
            }

            if (nodes.TryGetValue(kind.Pool, out var count))
            {
                count.SetCoefficient(x[c], 1);
            }
        }

        if (hint is not null)
        {
            solver.SetHint(x, [.. hint.Select(n => (double)n)]);
        }

        // No cutting planes: they cost most of SCIP's time at the root (900 ms of 917 on a 59-pod re-pack of pods of
        // every shape) and the relaxation over these patterns is already tight.
        solver.SetSolverSpecificParametersAsString(string.Create(CultureInfo.InvariantCulture,
            $"limits/nodes = {branchNodes}\nrandomization/randomseedshift = {seed}\nseparating/maxroundsroot = 0\nseparating/maxrounds = 0\n"));
        using var parameters = new MPSolverParameters();
        // The objective holds tier penalties far above any price: a relative gap of SCIP's default would hide dollars.
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        using var stop = cancellation.Register(() => solver.InterruptSolve());
        var status = solver.Solve(parameters);
        return status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE ? [.. x.Select(v => (int)Math.Round(v.SolutionValue()))] : null;
    }
}
