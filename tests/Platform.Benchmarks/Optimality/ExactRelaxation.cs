using Google.OrTools.LinearSolver;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// The linear relaxation of one component's packing over the columns found so far (GLOP). Every pod of a group is
/// credited to one pool (z), where the group's columns must cover it; a pod credited below its first pool pays a tier
/// penalty, an unplaced pod a larger one, so the optimum places the most pods, then keeps pool weight order, then costs
/// least. At the optimum no column has a negative reduced cost, which makes the objective a lower bound.
/// </summary>
internal sealed class ExactRelaxation : IDisposable
{
    private readonly ExactModel model;
    private readonly Solver solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is unavailable");
    private readonly Dictionary<(int Group, int Pool), Constraint> cover = [];
    private readonly Dictionary<(int Pool, int Resource), Constraint> limits = [];
    private readonly Dictionary<int, Constraint> nodes = [];

    public ExactRelaxation(ExactModel model, List<int> pools, List<int> groups, ExactPenalties penalties)
    {
        this.model = model;
        var objective = solver.Objective();
        objective.SetMinimization();
        foreach (var g in groups)
        {
            var assign = solver.MakeConstraint(model.Groups[g].Count, model.Groups[g].Count);
            var missing = solver.MakeNumVar(0, double.PositiveInfinity, "");
            assign.SetCoefficient(missing, 1);
            objective.SetCoefficient(missing, penalties.Missing);
            foreach (var p in pools.Where(p => model.Tier[g, p] >= 0))
            {
                var credited = solver.MakeNumVar(0, double.PositiveInfinity, "");
                assign.SetCoefficient(credited, 1);
                objective.SetCoefficient(credited, penalties.Tier * model.Tier[g, p]);
                cover[(g, p)] = solver.MakeConstraint(0, double.PositiveInfinity);
                cover[(g, p)].SetCoefficient(credited, -1);
            }
        }

        foreach (var p in pools)
        {
            for (var r = 0; r < model.Resources.Count; r++)
            {
                if (model.Limits[p][r] != long.MaxValue)
                {
                    limits[(p, r)] = solver.MakeConstraint(double.NegativeInfinity, 1);
                }
            }

            if (model.NodeLimits[p] != int.MaxValue)
            {
                nodes[p] = solver.MakeConstraint(double.NegativeInfinity, model.NodeLimits[p]);
            }
        }
    }

    public double Objective { get; private set; }

    public void Add(ExactColumn column)
    {
        var kind = model.Kinds[column.Kind];
        var x = solver.MakeNumVar(0, double.PositiveInfinity, "");
        solver.Objective().SetCoefficient(x, kind.Price);
        for (var g = 0; g < column.Counts.Length; g++)
        {
            if (column.Counts[g] > 0)
            {
                cover[(g, kind.Pool)].SetCoefficient(x, column.Counts[g]);
            }
        }

        for (var r = 0; r < model.Resources.Count; r++)
        {
            if (limits.TryGetValue((kind.Pool, r), out var row))
            {
                // Scaled to 1: bytes and millicores side by side defeat the simplex.
                row.SetCoefficient(x, (double)kind.Capacity[r] / Math.Max(1, model.Limits[kind.Pool][r]));
            }
        }

        if (nodes.TryGetValue(kind.Pool, out var count))
        {
            count.SetCoefficient(x, 1);
        }
    }

    public void Solve()
    {
        var status = solver.Solve();
        if (status != Solver.ResultStatus.OPTIMAL)
        {
            throw new InvalidOperationException($"relaxation ended {status}");
        }

        Objective = solver.Objective().Value();
    }

    /// <summary>Per group, the dual of covering one more of its pods in the pool (0 where the group cannot go).</summary>
    public double[] Duals(int pool) =>
        [.. Enumerable.Range(0, model.Groups.Count).Select(g => cover.TryGetValue((g, pool), out var row) ? Math.Max(0, row.DualValue()) : 0)];

    /// <summary>A kind's price plus what its node costs in the duals of its pool's limits and node count.</summary>
    public double KindCost(int k)
    {
        var kind = model.Kinds[k];
        var cost = kind.Price;
        for (var r = 0; r < model.Resources.Count; r++)
        {
            if (limits.TryGetValue((kind.Pool, r), out var row))
            {
                cost -= Math.Min(0, row.DualValue()) * kind.Capacity[r] / Math.Max(1, model.Limits[kind.Pool][r]);
            }
        }

        return cost - (nodes.TryGetValue(kind.Pool, out var count) ? Math.Min(0, count.DualValue()) : 0);
    }

    public void Dispose() => solver.Dispose();
}

/// <summary>
/// Penalties that make one objective lexicographic over a component: a pod one pool lower costs more than twice the
/// dearest node for every pod (more than any plan's price), an unplaced pod more than a pod at its lowest pool. The
/// batches leave every pod a pool without a binding limit, so the optimum places them all and the second penalty
/// only has to outweigh the first; kept that small, GLOP stays within its tolerances.
/// </summary>
internal sealed record ExactPenalties(double Tier, double Missing)
{
    public static ExactPenalties For(ExactModel model, List<int> pools, List<int> groups)
    {
        var pods = groups.Sum(g => model.Groups[g].Count);
        var dearest = model.Kinds.Where(k => pools.Contains(k.Pool) && groups.Any(g => k.Allows[g])).Select(k => k.Price).DefaultIfEmpty(1).Max();
        var tiers = groups.SelectMany(g => pools.Select(p => model.Tier[g, p])).Max();
        var tier = Math.Ceiling(2 * pods * dearest + 1);
        return new ExactPenalties(tier, tier * (tiers + 2));
    }
}
