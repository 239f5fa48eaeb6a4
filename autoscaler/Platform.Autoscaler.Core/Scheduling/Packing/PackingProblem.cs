namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// One pool's re-pack: the items to place, the kinds of node that may hold them, what the pool's limits leave
/// (<see cref="long.MaxValue"/> where unlimited) and the greedy plan's nodes, which the answer must beat.
/// </summary>
internal sealed record PackingProblem(
    IReadOnlyList<PackingItem> Items,
    IReadOnlyList<PackingKind> Kinds,
    long[] Limits,
    int NodeLimit,
    IReadOnlyList<PackingPattern> Start)
{
    public bool Limited(int resource) => Limits[resource] != long.MaxValue;
}
