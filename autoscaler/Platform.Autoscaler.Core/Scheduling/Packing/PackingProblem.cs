namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A re-pack of pools that share pods: the items to place, the kinds of node that may hold them, what each pool's
/// limits leave, and the greedy plan's nodes, which the answer must beat. A pod one pool lower than it could be costs
/// <see cref="TierPenalty"/>, more than a re-pack could save, so the answer keeps pool weight order before price.
/// </summary>
internal sealed record PackingProblem(
    IReadOnlyList<PackingItem> Items,
    IReadOnlyList<PackingKind> Kinds,
    IReadOnlyList<PackingPool> Pools,
    double TierPenalty,
    IReadOnlyList<PackingPattern> Start)
{
    /// <summary>A node's price plus the tier penalties of the pods it holds.</summary>
    public double Cost(PackingPattern pattern)
    {
        var kind = Kinds[pattern.Kind];
        var cost = kind.Price;
        for (var i = 0; i < pattern.Counts.Length; i++)
        {
            if (pattern.Counts[i] > 0)
            {
                cost += TierPenalty * pattern.Counts[i] * Items[i].Tiers[kind.Pool];
            }
        }

        return cost;
    }

    /// <summary>What an item's pod is worth on a kind's node at the given duals: its dual less its tier penalty in the pool.</summary>
    public double Value(int item, int kind, double[] duals) => duals[item] - TierPenalty * Items[item].Tiers[Kinds[kind].Pool];

    /// <summary>How many of the item's pods (at most all of them) fit in what is <paramref name="left"/>.</summary>
    public int MostThatFit(int item, long[] left)
    {
        var request = Items[item].Request;
        long most = Items[item].Total;
        for (var r = 0; r < request.Length && most > 0; r++)
        {
            if (request[r] > 0)
            {
                most = Math.Min(most, left[r] / request[r]);
            }
        }

        return (int)Math.Max(0, most);
    }
}
