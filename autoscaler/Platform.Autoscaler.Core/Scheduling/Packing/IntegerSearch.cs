namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Whole numbers of nodes from the relaxation's patterns, starting from the greedy plan's nodes and keeping the best
/// plan found, cheapest steps first so that a deadline leaves the most gained: a dive (round one column, price again,
/// repeat); fix and solve (buy the whole nodes of the relaxation's optimum, and let an integer program place what they
/// leave); then every pattern that could be part of a better plan than the best so far (its reduced cost within the gap
/// between that plan and the relaxation's bound) is enumerated, and an integer program over the most promising of them
/// chooses, starting from the best plan. The last is what finds the best mix on small re-packs, where the relaxation's
/// few patterns round badly (twenty CPU pods: $0.6414/h from its patterns, $0.6011/h, the optimum, from the
/// enumeration). Work is bounded by the constants below; the deadline only cuts it short.
/// </summary>
internal sealed class IntegerSearch
{
    /// <summary>SCIP's branch-and-bound nodes for the pods the fixed nodes leave.</summary>
    public const long FixedBranchNodes = 20;

    /// <summary>Patterns the integer program over the pods the fixed nodes leave chooses among at most: those of least reduced cost.</summary>
    public const int FixedColumns = 100;

    /// <summary>SCIP's branch-and-bound nodes over the enumerated patterns.</summary>
    public const long EnumeratedBranchNodes = 20;

    /// <summary>
    /// Kinds of pod a re-pack may have for the enumeration to run. With more (pods of every shape), the patterns within the
    /// gap are past counting, the few found do not change the plan, and the dive's answer is already close to the bound.
    /// </summary>
    public const int EnumeratedItems = 32;

    /// <summary>Patterns enumerated at most; past it the gap is narrowed, keeping the most promising patterns.</summary>
    public const int EnumeratedColumns = 5000;

    /// <summary>Patterns the integer program over the enumeration chooses among at most: those of least reduced cost.</summary>
    public const int ProgramColumns = 300;

    /// <summary>Depth-first steps of the enumeration, over all the gaps it tries.</summary>
    public const long EnumerationSteps = 100_000;

    /// <summary>Steps of a dive at most: each rounds one column.</summary>
    public const int DiveSteps = 60;

    /// <summary>Pricing rounds after each step of a dive.</summary>
    public const int DiveRounds = 3;

    /// <summary>How near the bound, as a share of its price, a plan must be for the integer programs to be skipped.</summary>
    public const double CloseGap = 0.001;

    /// <summary>Narrower gaps tried when the full one gives too many patterns, as fractions of it.</summary>
    private static readonly double[] GapFractions = [1, 0.25, 0.0625];

    private readonly PackingProblem problem;
    private readonly List<int> useful;
    private readonly ColumnSet columns;
    private readonly ColumnGeneration generation;
    private readonly int seed;
    private readonly PackingDeadline deadline;
    private readonly double bound;
    private readonly double[][] worth;
    private readonly Dictionary<int, double> kindCost;
    private int[] best;

    /// <param name="generation">The relaxation, solved to its optimum.</param>
    /// <param name="start">The greedy plan's nodes, among the columns.</param>
    public IntegerSearch(PackingProblem problem, List<int> useful, ColumnGeneration generation, IReadOnlyList<PackingPattern> start, int seed, PackingDeadline deadline)
    {
        this.problem = problem;
        this.useful = useful;
        this.generation = generation;
        columns = generation.Columns;
        var master = generation.Master;
        this.seed = seed;
        this.deadline = deadline;
        bound = master.Objective;
        // What a pod of each item is worth on a node of each pool at the relaxation's optimum: its dual less its tier
        // penalty there, never below nothing (a pod a pattern holds beyond need is credited nowhere).
        var duals = master.CoverDuals();
        worth = [.. Enumerable.Range(0, problem.Pools.Count).Select(p => problem.Items.Select((item, i) =>
            item.Tiers[p] < 0 ? 0 : Math.Max(0, duals[i] - problem.TierPenalty * item.Tiers[p])).ToArray())];
        kindCost = useful.ToDictionary(k => k, master.KindCost);
        best = new int[columns.Count];
        foreach (var node in start)
        {
            best[columns.IndexOf(node)]++;
        }

        BestCost = Cost(best);
        BestPrice = Price(best);
        StartCost = BestCost;
    }

    public double StartCost { get; }

    public double BestCost { get; private set; }

    /// <summary>Buys the whole nodes of the relaxation's optimum (<paramref name="values"/> per column) and lets an integer program place what they leave.</summary>
    public void FixAndSolve(double[] values)
    {
        if (CloseEnough || deadline.Passed)
        {
            return;
        }

        var fixedCopies = values.Select(v => (int)Math.Floor(v + 1e-9)).ToArray();
        var residual = Residual(fixedCopies);
        var gap = BestCost - bound;
        // The residual's columns: those that could be part of a better plan, least reduced cost first.
        var restColumns = Enumerable.Range(0, values.Length).Select(c => (Column: c, ReducedCost: ReducedCost(columns.All[c])))
            .Where(x => x.ReducedCost <= gap + Tolerance).OrderBy(x => x.ReducedCost).ThenBy(x => x.Column).Take(FixedColumns).Select(x => x.Column).Order().ToList();
        var rest = restColumns.Select(c => columns.All[c]).ToList();

        var chosen = new int[columns.Count];
        fixedCopies.CopyTo(chosen, 0);
        if (residual.Items.Any(i => i.Total > 0))
        {
            if (deadline.Passed || IntegerMaster.Solve(residual, rest, null, seed, FixedBranchNodes, deadline.Token) is not { } more)
            {
                return;
            }

            for (var c = 0; c < more.Length; c++)
            {
                chosen[restColumns[c]] += more[c];
            }
        }

        Offer(chosen);
    }

    /// <summary>
    /// Dives: rounds up the column of the relaxation's optimum with the largest fraction (or, when that breaks a limit,
    /// down), prices again, and repeats until the relaxation buys whole nodes. Each step takes one choice the relaxation
    /// was closest to making and lets the rest adapt. The relaxation's bounds are left as the dive set them.
    /// </summary>
    public void Dive()
    {
        var master = generation.Master;
        for (var step = 0; step < DiveSteps && !deadline.Passed; step++)
        {
            if (!generation.Run(DiveRounds, deadline))
            {
                return;
            }

            var values = master.ColumnValues();
            var pick = -1;
            var most = 1e-6;
            for (var c = 0; c < values.Length; c++)
            {
                var fraction = values[c] - Math.Floor(values[c]);
                if (fraction > most && fraction < 1 - 1e-6)
                {
                    most = fraction;
                    pick = c;
                }
            }

            if (pick < 0)
            {
                Offer([.. values.Select(v => (int)Math.Round(v))]);
                return;
            }

            master.SetBounds(pick, Math.Ceiling(values[pick]), double.PositiveInfinity);
            if (!master.Solve())
            {
                master.SetBounds(pick, 0, Math.Floor(values[pick]));
            }
        }
    }

    /// <summary>
    /// Enumerates the patterns whose reduced cost is within the gap between the best plan and the bound, and lets an
    /// integer program choose among the most promising of them and the columns found so far, starting from the best plan.
    /// </summary>
    public void EnumerateWithinGap()
    {
        var gap = BestCost - bound;
        if (CloseEnough || deadline.Passed || problem.Items.Count(i => i.Total > 0) > EnumeratedItems)
        {
            return;
        }

        var found = new List<PackingPattern>();
        var enumeration = new PatternEnumeration(problem, EnumerationSteps);
        foreach (var fraction in GapFractions)
        {
            found.Clear();
            var complete = true;
            foreach (var k in useful)
            {
                complete = enumeration.Enumerate(k, worth[problem.Kinds[k].Pool], kindCost[k] - gap * fraction, EnumeratedColumns - found.Count, found);
                if (!complete || deadline.Passed)
                {
                    break;
                }
            }

            // Past the cap the next, narrower gap keeps the most promising patterns; out of steps, what was found stays.
            if (complete || enumeration.OutOfSteps || deadline.Passed)
            {
                break;
            }
        }

        if (deadline.Passed)
        {
            return;
        }

        foreach (var pattern in found)
        {
            columns.Add(pattern);
        }

        // The columns that could be part of a better plan, least reduced cost first, and the best plan's own.
        var candidates = Enumerable.Range(0, columns.Count).Select(c => (Column: c, ReducedCost: ReducedCost(columns.All[c])))
            .Where(x => x.ReducedCost <= gap + Tolerance).OrderBy(x => x.ReducedCost).ThenBy(x => x.Column).Take(ProgramColumns).Select(x => x.Column);
        var chosen = candidates.Union(Enumerable.Range(0, best.Length).Where(c => best[c] > 0)).Order().ToList();
        var hint = chosen.Select(c => c < best.Length ? best[c] : 0).ToArray();
        if (IntegerMaster.Solve(problem, [.. chosen.Select(c => columns.All[c])], hint, seed, EnumeratedBranchNodes, deadline.Token) is not { } solved)
        {
            return;
        }

        var copies = new int[columns.Count];
        for (var c = 0; c < chosen.Count; c++)
        {
            copies[chosen[c]] = solved[c];
        }

        Offer(copies);
    }

    /// <summary>The nodes of the best plan found, or null when none beat the start.</summary>
    public IReadOnlyList<PackingPattern>? Improved() =>
        BestCost < StartCost - Tolerance ? Nodes(best) : null;

    private double Tolerance => 1e-9 * Math.Max(1, StartCost);

    /// <summary>
    /// Whether the best plan is so near the bound that an integer program is not worth its time: within
    /// <see cref="CloseGap"/> of the price of its nodes (a pod in a lower pool costs far more than that, so tiers still
    /// to gain always leave a wider gap).
    /// </summary>
    private bool CloseEnough => BestCost - bound <= Math.Max(Tolerance, CloseGap * BestPrice);

    /// <summary>What the best plan's nodes cost, without tier penalties or rewards.</summary>
    private double BestPrice { get; set; }

    /// <summary>A column's reduced cost at the relaxation's optimum, its pods credited only where they are worth something.</summary>
    private double ReducedCost(PackingPattern pattern)
    {
        var cost = kindCost.TryGetValue(pattern.Kind, out var known) ? known : problem.Kinds[pattern.Kind].Price;
        var values = worth[problem.Kinds[pattern.Kind].Pool];
        for (var i = 0; i < pattern.Counts.Length; i++)
        {
            cost -= pattern.Counts[i] * values[i];
        }

        return cost;
    }

    private void Offer(int[] copies)
    {
        if (!Feasible(copies))
        {
            return;
        }

        var cost = Cost(copies);
        if (cost < BestCost - Tolerance)
        {
            best = copies;
            BestCost = cost;
            BestPrice = Price(copies);
        }
    }

    /// <summary>Whether the nodes keep the pools' limits and node counts and place every pod that must be placed.</summary>
    private bool Feasible(int[] copies)
    {
        var nodes = Nodes(copies);
        var placed = new long[problem.Items.Count];
        var used = problem.Pools.Select(p => new long[p.Limits.Length]).ToArray();
        var count = new long[problem.Pools.Count];
        foreach (var node in nodes)
        {
            var kind = problem.Kinds[node.Kind];
            ResourceIndex.AddTo(used[kind.Pool], kind.Capacity);
            count[kind.Pool]++;
            for (var i = 0; i < placed.Length; i++)
            {
                placed[i] += node.Counts[i];
            }
        }

        return problem.Items.Select((item, i) => placed[i] >= item.Required).All(x => x)
            && problem.Pools.Select((pool, p) => count[p] <= pool.NodeLimit && pool.Limits.Select((limit, r) => !pool.Limited(r) || used[p][r] <= limit).All(x => x)).All(x => x);
    }

    /// <summary>What the nodes cost: prices, the tier penalties of the pods they hold, and the reward of every pod left out.</summary>
    private double Price(int[] copies) => Nodes(copies).Sum(n => problem.Kinds[n.Kind].Price);

    private double Cost(int[] copies)
    {
        var nodes = Nodes(copies);
        var cost = nodes.Sum(problem.Cost);
        for (var i = 0; i < problem.Items.Count; i++)
        {
            cost += problem.Items[i].Reward * (problem.Items[i].Total - nodes.Sum(n => n.Counts[i]));
        }

        return cost;
    }

    /// <summary>
    /// One pattern per node bought. Each item's pods go to the nodes of its best pools first, as many as each holds; a
    /// node keeps only the pods it is given, then shrinks to the cheapest kind of its pool that holds them.
    /// </summary>
    private List<PackingPattern> Nodes(int[] copies)
    {
        var bought = new List<PackingPattern>();
        for (var c = 0; c < copies.Length; c++)
        {
            for (var copy = 0; copy < copies[c]; copy++)
            {
                bought.Add(columns.All[c]);
            }
        }

        var counts = bought.Select(_ => new int[problem.Items.Count]).ToArray();
        for (var i = 0; i < problem.Items.Count; i++)
        {
            var left = problem.Items[i].Total;
            var tiers = problem.Items[i].Tiers;
            foreach (var n in Enumerable.Range(0, bought.Count).Where(n => bought[n].Counts[i] > 0).OrderBy(n => tiers[problem.Kinds[bought[n].Kind].Pool]).ThenBy(n => n))
            {
                var take = Math.Min(bought[n].Counts[i], left);
                counts[n][i] = take;
                left -= take;
            }
        }

        var nodes = new List<PackingPattern>();
        for (var n = 0; n < bought.Count; n++)
        {
            if (counts[n].Any(x => x > 0))
            {
                var node = bought[n] with { Counts = counts[n] };
                nodes.Add(PackingSolver.Normalize(problem, useful, node) ?? node);
            }
        }

        return nodes;
    }

    /// <summary>What is left to place once <paramref name="copies"/> of each column are bought: pods, limits and node counts.</summary>
    private PackingProblem Residual(int[] copies)
    {
        var covered = new long[problem.Items.Count];
        var limits = problem.Pools.Select(p => (long[])p.Limits.Clone()).ToArray();
        var nodes = problem.Pools.Select(p => p.NodeLimit).ToArray();
        for (var c = 0; c < copies.Length; c++)
        {
            if (copies[c] == 0)
            {
                continue;
            }

            var pattern = columns.All[c];
            var kind = problem.Kinds[pattern.Kind];
            for (var i = 0; i < covered.Length; i++)
            {
                covered[i] += (long)copies[c] * pattern.Counts[i];
            }

            for (var r = 0; r < kind.Capacity.Length; r++)
            {
                if (problem.Pools[kind.Pool].Limited(r))
                {
                    limits[kind.Pool][r] -= copies[c] * kind.Capacity[r];
                }
            }

            nodes[kind.Pool] = nodes[kind.Pool] == int.MaxValue ? int.MaxValue : nodes[kind.Pool] - copies[c];
        }

        var items = problem.Items.Select((item, i) =>
        {
            var required = (int)Math.Max(0, item.Required - covered[i]);
            var optional = (int)Math.Max(0, item.Total - Math.Max(covered[i], item.Required));
            return item with { Required = required, Optional = optional };
        }).ToList();
        var pools = problem.Pools.Select((p, i) => new PackingPool(limits[i], nodes[i])).ToList();
        return problem with { Items = items, Pools = pools, Start = [] };
    }
}
