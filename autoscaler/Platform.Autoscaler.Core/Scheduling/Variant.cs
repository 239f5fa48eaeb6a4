using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// One way of reading a pod's constraints: a required node-affinity alternative plus the preferences still held hard.
/// The solver tries a pod's variants in order, from every preference kept to all of them relaxed.
/// </summary>
internal sealed record Variant(
    Requirements Requirements,
    IReadOnlyList<TopologySpread> Spreads,
    IReadOnlyList<PodAffinityTerm> Affinity,
    IReadOnlyList<PodAffinityTerm> AntiAffinity)
{
    /// <summary>
    /// Karpenter's relaxation order, applied per required alternative: preferred pod anti-affinity, preferred pod
    /// affinity, preferred node affinity (lightest first), then ScheduleAnyway spreads.
    /// </summary>
    public static IReadOnlyList<Variant> For(Pod pod)
    {
        var variants = new List<Variant>();
        foreach (var alternative in pod.NodeRequirements)
        {
            var preferredNode = pod.PreferredNodeTerms.OrderByDescending(t => t.Weight).ToList();
            var preferredAnti = pod.PreferredAntiAffinity.OrderByDescending(t => t.Weight).ToList();
            var preferredAffinity = pod.PreferredAffinity.OrderByDescending(t => t.Weight).ToList();
            var soft = pod.TopologySpread.Where(s => !s.DoNotSchedule).ToList();
            var hard = pod.TopologySpread.Where(s => s.DoNotSchedule).ToList();

            Variant Make() => new(
                new Requirements([.. alternative.All, .. preferredNode.SelectMany(t => t.Requirements.All)]),
                [.. hard, .. soft],
                [.. pod.Affinity, .. preferredAffinity],
                [.. pod.AntiAffinity, .. preferredAnti]);

            variants.Add(Make());
            while (preferredAnti.Count > 0)
            {
                preferredAnti.RemoveAt(preferredAnti.Count - 1);
                variants.Add(Make());
            }

            while (preferredAffinity.Count > 0)
            {
                preferredAffinity.RemoveAt(preferredAffinity.Count - 1);
                variants.Add(Make());
            }

            while (preferredNode.Count > 0)
            {
                preferredNode.RemoveAt(preferredNode.Count - 1);
                variants.Add(Make());
            }

            if (soft.Count > 0)
            {
                soft.Clear();
                variants.Add(Make());
            }
        }

        return variants;
    }
}
