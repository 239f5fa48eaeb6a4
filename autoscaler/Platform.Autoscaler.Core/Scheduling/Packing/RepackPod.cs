using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A pod a re-pack may move: the requirements it keeps (those of the variant the greedy solve placed it under, so no
/// preference it honoured is dropped), the pools it may go to with the types of each it fits on alone, and where the
/// greedy plan put it (null: nowhere).
/// </summary>
internal sealed record RepackPod(Pod Pod, PodGroup Group, long[] Request, Requirements Requirements, IReadOnlyDictionary<PoolState, bool[]> Fits, PoolState? Pool)
{
    /// <summary>
    /// Its rank among the pools it may go to, by weight: how many distinct weights above the pool's it could use; -1
    /// where it may not go. Pools of one weight share a rank, as they compete on price in the greedy solve.
    /// </summary>
    public int Tier(PoolState pool) =>
        Fits.ContainsKey(pool) ? Fits.Keys.Where(p => p.Template.Weight > pool.Template.Weight).Select(p => p.Template.Weight).Distinct().Count() : -1;
}
