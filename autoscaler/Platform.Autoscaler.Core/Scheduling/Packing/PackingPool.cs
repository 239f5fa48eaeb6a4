namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>What a pool's limits leave for a re-pack: per resource (<see cref="long.MaxValue"/> where unlimited), and in nodes.</summary>
internal sealed record PackingPool(long[] Limits, int NodeLimit)
{
    public bool Limited(int resource) => Limits[resource] != long.MaxValue;
}
