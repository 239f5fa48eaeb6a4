namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A bound on what the items still to decide in a depth-first search over a node's pattern can add: per resource, the
/// best value per unit of it among those items times what is left of it, the least over resources. A resource some
/// item still to decide does not use gives no bound; every pod uses one "pods", so one always does.
/// </summary>
internal sealed class RemainingValue
{
    private readonly double[,] ratio;
    private readonly bool[,] bounded;
    private readonly int dimensions;

    /// <param name="order">The items in the order the search decides them.</param>
    /// <param name="value">What one pod of each item is worth.</param>
    public RemainingValue(PackingProblem problem, int[] order, double[] value, int dimensions)
    {
        this.dimensions = dimensions;
        ratio = new double[order.Length + 1, dimensions];
        bounded = new bool[order.Length + 1, dimensions];
        for (var r = 0; r < dimensions; r++)
        {
            bounded[order.Length, r] = true;
        }

        for (var p = order.Length - 1; p >= 0; p--)
        {
            var request = problem.Items[order[p]].Request;
            for (var r = 0; r < dimensions; r++)
            {
                bounded[p, r] = bounded[p + 1, r] && request[r] > 0;
                ratio[p, r] = bounded[p, r] ? Math.Max(ratio[p + 1, r], value[order[p]] / request[r]) : 0;
            }
        }
    }

    /// <summary>At most what the items from position <paramref name="p"/> on can add in what is <paramref name="left"/>.</summary>
    public double From(int p, long[] left)
    {
        var bound = double.MaxValue;
        for (var r = 0; r < dimensions; r++)
        {
            if (bounded[p, r])
            {
                bound = Math.Min(bound, ratio[p, r] * left[r]);
            }
        }

        return bound;
    }
}
