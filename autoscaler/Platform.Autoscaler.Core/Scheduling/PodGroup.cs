using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>Pods identical in everything the solver looks at; work done for one serves all.</summary>
internal sealed class PodGroup(int id, Pod template, long[] request, IReadOnlyList<Variant> variants)
{
    private readonly VariantState?[] states = new VariantState?[variants.Count];

    public int Id { get; } = id;

    public Pod Template { get; } = template;

    public long[] Request { get; } = request;

    public IReadOnlyList<Variant> Variants { get; } = variants;

    /// <summary>Groups whose selectors select these pods: placing one changes their counts.</summary>
    public List<TopologyGroup> CountedBy { get; } = [];

    /// <summary>Anti-affinity groups whose selectors select these pods: their owners' domains are closed to them.</summary>
    public List<TopologyGroup> RepelledBy { get; } = [];

    public VariantState State(int variant, Func<Variant, VariantState> create) => states[variant] ??= create(Variants[variant]);

    /// <summary>A key that is equal for pods the solver cannot tell apart.</summary>
    public static string Signature(Pod pod)
    {
        var parts = new List<string>
        {
            pod.Namespace,
            pod.Refusal ?? "",
            string.Join(",", pod.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")),
            pod.Requests.ToString(),
            string.Join("|", pod.NodeRequirements.Select(r => r.ToString())),
            string.Join("|", pod.PreferredNodeTerms.Select(t => $"{t.Weight}:{t.Requirements}")),
            string.Join("|", pod.Tolerations.Select(t => $"{t.Key}:{t.Operator}:{t.Value}:{t.Effect}")),
            string.Join("|", pod.TopologySpread.Select(s => $"{s.TopologyKey}:{s.MaxSkew}:{s.DoNotSchedule}:{s.Selector.Key}:{s.MinDomains}")),
            Terms(pod.Affinity), Terms(pod.AntiAffinity), Terms(pod.PreferredAffinity), Terms(pod.PreferredAntiAffinity),
        };
        return string.Join("\n", parts);
    }

    private static string Terms(IReadOnlyList<PodAffinityTerm> terms) =>
        string.Join("|", terms.Select(t => $"{t.TopologyKey}:{t.Weight}:{t.Selector.Key}:{string.Join(",", t.Namespaces)}:{t.NamespaceSelector?.Key}"));
}
