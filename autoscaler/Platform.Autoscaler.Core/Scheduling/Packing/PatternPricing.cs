namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Column generation's pricing step: for one kind of node and what each item is worth on it, the pattern worth the most, a
/// bounded multi-dimensional knapsack. Two greedy fills give a first answer; a depth-first branch and bound improves
/// it while the re-pack's node budget lasts, so the search is fixed work, never a clock.
/// </summary>
internal sealed class PatternPricing(PackingProblem problem, long branchNodes)
{
    private long nodesLeft = branchNodes;

    /// <summary>The most valuable pattern of the kind at these item values, or null when no item of positive value fits.</summary>
    public (int[] Counts, double Value)? Best(int kind, double[] duals)
    {
        var free = problem.Kinds[kind].Free;
        var candidates = new List<int>();
        for (var i = 0; i < problem.Items.Count; i++)
        {
            if (duals[i] > 1e-12 && problem.Kinds[kind].Allows.Contains(i) && ResourceIndex.Fits(problem.Items[i].Request, free))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        // Value per share of the node, in the resource the item uses most of, and over all resources.
        double Share(int item, bool max)
        {
            var request = problem.Items[item].Request;
            var share = 0.0;
            for (var r = 0; r < request.Length; r++)
            {
                if (request[r] > 0)
                {
                    var part = (double)request[r] / free[r];
                    share = max ? Math.Max(share, part) : share + part;
                }
            }

            return Math.Max(share, 1e-12);
        }

        var byMax = candidates.OrderByDescending(i => duals[i] / Share(i, max: true)).ThenBy(i => i).ToArray();
        var bySum = candidates.OrderByDescending(i => duals[i] / Share(i, max: false)).ThenBy(i => i).ToArray();
        var best = Fill(byMax, free, duals);
        if (Fill(bySum, free, duals) is var other && other.Value > best.Value + 1e-12)
        {
            best = other;
        }

        Branch(byMax, free, duals, ref best);
        return best;
    }

    private (int[] Counts, double Value) Fill(int[] order, long[] free, double[] duals)
    {
        var counts = new int[problem.Items.Count];
        var left = (long[])free.Clone();
        var value = 0.0;
        foreach (var i in order)
        {
            var take = problem.MostThatFit(i, left);
            if (take > 0)
            {
                counts[i] = take;
                ResourceIndex.AddTo(left, problem.Items[i].Request, -take);
                value += take * duals[i];
            }
        }

        return (counts, value);
    }

    private void Branch(int[] order, long[] free, double[] duals, ref (int[] Counts, double Value) best)
    {
        var remaining = new RemainingValue(problem, order, duals, free.Length);
        var counts = new int[problem.Items.Count];
        var left = (long[])free.Clone();
        var found = best;
        void Visit(int p, double value)
        {
            if (nodesLeft-- <= 0)
            {
                return;
            }

            if (value > found.Value + 1e-12)
            {
                found = ((int[])counts.Clone(), value);
            }

            if (p == order.Length)
            {
                return;
            }

            var bound = remaining.From(p, left);
            if (value + bound <= found.Value + 1e-12)
            {
                return;
            }

            var item = order[p];
            var request = problem.Items[item].Request;
            for (var take = problem.MostThatFit(item, left); take >= 0 && nodesLeft > 0; take--)
            {
                counts[item] = take;
                ResourceIndex.AddTo(left, request, -take);
                Visit(p + 1, value + take * duals[item]);
                ResourceIndex.AddTo(left, request, take);
            }

            counts[item] = 0;
        }

        Visit(0, 0);
        best = found;
    }
}
