using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A pod a re-pack may move: the requirements it keeps (those of the variant the greedy solve placed it under, so no
/// preference it honoured is dropped), the pool's types it fits on alone, and why it is in the re-pack.
/// </summary>
internal sealed record RepackPod(Pod Pod, PodGroup Group, int Variant, long[] Request, Requirements Requirements, bool[] Fits, RepackTier Tier);

/// <summary>Why a pod is in a pool's re-pack; pods the greedy plan left unplaced or spilled to a lower pool are optional.</summary>
internal enum RepackTier
{
    /// <summary>The greedy plan put it on a new claim of this pool: it must stay in the pool.</summary>
    Placed,

    /// <summary>The greedy plan found no place for it; placing it is worth more than any saving.</summary>
    Unplaced,

    /// <summary>The greedy plan put it in a pool of lower weight, where this pool's limits pushed it.</summary>
    Spilled,
}
