namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// Identical pods of one re-pack: what one needs, how many must be placed (the greedy plan placed them) and how many
/// may be (pods it left unplaced, each worth <paramref name="Reward"/>), and per pool of the re-pack its rank among
/// the pools the pods may go to by weight (0 for the first; -1 where they may not go).
/// </summary>
internal sealed record PackingItem(long[] Request, int Required, int Optional, double Reward, int[] Tiers)
{
    public int Total => Required + Optional;
}
