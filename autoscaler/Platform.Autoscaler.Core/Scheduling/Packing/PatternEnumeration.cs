namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Every maximal pattern of a kind worth at least a threshold at given item values: with the threshold at the kind's
/// cost less the gap between the incumbent and the relaxation's bound, the patterns that can be part of a better plan
/// (any other has a reduced cost above the gap). Column generation finds only the few patterns of the relaxation's
/// optimum, and on small re-packs the best whole number of nodes needs others. Depth-first over the items of positive
/// value, pruned by the best value per unit of each resource; items of no value fill what is left, once. Bounded by
/// steps and patterns, never by a clock.
/// </summary>
internal sealed class PatternEnumeration(PackingProblem problem, long steps)
{
    private long stepsLeft = steps;

    /// <summary>Whether the steps ran out: every later call finds nothing.</summary>
    public bool OutOfSteps => stepsLeft <= 0;

    /// <summary>Adds the kind's patterns to <paramref name="found"/>; false when the steps or <paramref name="cap"/> ran out first.</summary>
    public bool Enumerate(int kind, double[] worth, double least, int cap, List<PackingPattern> found)
    {
        var free = problem.Kinds[kind].Free;
        var allows = problem.Kinds[kind].Allows;
        var fitting = Enumerable.Range(0, problem.Items.Count).Where(i => allows.Contains(i) && ResourceIndex.Fits(problem.Items[i].Request, free)).ToList();
        var order = fitting.Where(i => worth[i] > 1e-12).OrderByDescending(i => worth[i]).ThenBy(i => i).ToArray();
        var fillers = fitting.Where(i => worth[i] <= 1e-12).ToArray();
        if (order.Length == 0)
        {
            return true;
        }

        var remaining = new RemainingValue(problem, order, worth, free.Length);
        var counts = new int[problem.Items.Count];
        var left = (long[])free.Clone();
        var added = 0;
        var complete = true;
        void Visit(int p, double value)
        {
            if (!complete)
            {
                return;
            }

            if (stepsLeft-- <= 0)
            {
                complete = false;
                return;
            }

            if (p == order.Length)
            {
                if (value >= least - 1e-9 * Math.Max(1, Math.Abs(least)) && order.All(i => counts[i] == problem.Items[i].Total || problem.MostThatFit(i, left) == 0))
                {
                    found.Add(new PackingPattern(kind, Filled()));
                    complete = ++added <= cap;
                }

                return;
            }

            var bound = remaining.From(p, left);
            if (value + bound < least - 1e-9 * Math.Max(1, Math.Abs(least)))
            {
                return;
            }

            var item = order[p];
            var request = problem.Items[item].Request;
            for (var take = problem.MostThatFit(item, left); take >= 0 && complete; take--)
            {
                counts[item] = take;
                ResourceIndex.AddTo(left, request, -take);
                Visit(p + 1, value + take * worth[item]);
                ResourceIndex.AddTo(left, request, take);
            }

            counts[item] = 0;
        }

        // The pattern with what is left filled by items of no value at these duals: free room, and it may spare a node.
        int[] Filled()
        {
            var pattern = (int[])counts.Clone();
            var room = (long[])left.Clone();
            foreach (var item in fillers)
            {
                var take = problem.MostThatFit(item, room);
                pattern[item] = take;
                ResourceIndex.AddTo(room, problem.Items[item].Request, -take);
            }

            return pattern;
        }

        Visit(0, 0);
        return complete;
    }
}
