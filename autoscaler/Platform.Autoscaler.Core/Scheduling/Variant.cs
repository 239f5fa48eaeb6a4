using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// One way of reading a pod's constraints: a required node-affinity alternative plus the preferences still held hard.
/// The solver tries a pod's variants in order, from every preference kept to all of them relaxed.
/// </summary>
/// <param name="Requirements">The alternative, with the heaviest preferred node term still held.</param>
/// <param name="StrictRequirements">The alternative alone: only required node affinity narrows the domains a spread counts.</param>
/// <param name="ToleratesPreferNoSchedule">PreferNoSchedule taints no longer keep the pod away (the last relaxation).</param>
internal sealed record Variant(
    Requirements Requirements,
    Requirements StrictRequirements,
    IReadOnlyList<TopologySpread> Spreads,
    IReadOnlyList<PodAffinityTerm> Affinity,
    IReadOnlyList<PodAffinityTerm> AntiAffinity,
    bool ToleratesPreferNoSchedule)
{
    /// <summary>
    /// Karpenter's relaxation order (preferences.go), per required alternative: preferred pod affinity terms, then
    /// preferred pod anti-affinity terms, heaviest dropped first; preferred node affinity, of which only the heaviest
    /// remaining term is held, heaviest dropped first; ScheduleAnyway spreads one at a time; and last, when some pool or
    /// node carries a PreferNoSchedule taint, tolerating those taints.
    /// </summary>
    public static IReadOnlyList<Variant> For(Pod pod, bool preferNoScheduleTaints)
    {
        var variants = new List<Variant>();
        foreach (var alternative in pod.NodeRequirements)
        {
            // Stable sorts: equal weights keep the pod's order, as Go's sort.SliceStable does.
            var preferredNode = pod.PreferredNodeTerms.OrderByDescending(t => t.Weight).ToList();
            var preferredAffinity = pod.PreferredAffinity.OrderByDescending(t => t.Weight).ToList();
            var preferredAnti = pod.PreferredAntiAffinity.OrderByDescending(t => t.Weight).ToList();
            var spreads = pod.TopologySpread.ToList();
            var tolerate = false;

            Variant Make() => new(
                preferredNode.Count == 0 ? alternative : new Requirements([.. alternative.All, .. preferredNode[0].Requirements.All]),
                alternative,
                [.. spreads],
                [.. pod.Affinity, .. preferredAffinity],
                [.. pod.AntiAffinity, .. preferredAnti],
                tolerate);

            variants.Add(Make());
            foreach (var terms in new[] { preferredAffinity, preferredAnti })
            {
                while (terms.Count > 0)
                {
                    terms.RemoveAt(0);
                    variants.Add(Make());
                }
            }

            while (preferredNode.Count > 0)
            {
                preferredNode.RemoveAt(0);
                variants.Add(Make());
            }

            // Karpenter drops the first ScheduleAnyway spread by moving the last spread into its place.
            while (spreads.FindIndex(s => !s.DoNotSchedule) is var soft and >= 0)
            {
                spreads[soft] = spreads[^1];
                spreads.RemoveAt(spreads.Count - 1);
                variants.Add(Make());
            }

            if (preferNoScheduleTaints)
            {
                tolerate = true;
                variants.Add(Make());
            }
        }

        return variants;
    }
}
