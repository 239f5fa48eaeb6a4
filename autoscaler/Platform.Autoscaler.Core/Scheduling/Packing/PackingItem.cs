namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Identical pods of one re-pack: what one needs, how many must be placed (the greedy plan placed them in this pool)
/// and how many may be (pods the greedy plan left unplaced, or put in a pool of lower weight), each worth a reward.
/// </summary>
internal sealed record PackingItem(long[] Request, int Required, int Optional, double Reward)
{
    public int Total => Required + Optional;
}
