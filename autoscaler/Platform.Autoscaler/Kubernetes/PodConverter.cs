using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using CoreLabelSelector = Platform.Autoscaler.Core.Model.LabelSelector;
using CorePod = Platform.Autoscaler.Core.Model.Pod;
using CoreToleration = Platform.Autoscaler.Core.Model.Toleration;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>Reads what the solver needs out of a Kubernetes pod: effective requests and every placement constraint.</summary>
internal static class PodConverter
{
    public static CorePod Convert(V1Pod pod)
    {
        var spec = pod.Spec ?? throw new ArgumentException($"Pod/{pod.Metadata?.Name} has no spec", nameof(pod));
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var affinity = spec.Affinity;
        return new CorePod
        {
            Namespace = ns,
            Name = pod.Metadata?.Name ?? "",
            Labels = (pod.Metadata?.Labels ?? new Dictionary<string, string>()).ToDictionary(StringComparer.Ordinal),
            Requests = Requests(spec),
            NodeRequirements = NodeRequirements(spec),
            PreferredNodeTerms = [.. (affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
                .Select(t => new PreferredNodeTerm(t.Weight, new Requirements(Expressions(t.Preference?.MatchExpressions))))],
            Tolerations = [.. (spec.Tolerations ?? []).Select(t => new CoreToleration(t.Key, t.OperatorProperty, t.Value, t.Effect))],
            TopologySpread = [.. (spec.TopologySpreadConstraints ?? []).Select(c =>
                new TopologySpread(c.TopologyKey, c.MaxSkew, c.WhenUnsatisfiable != "ScheduleAnyway", Selector(c.LabelSelector)))],
            Affinity = Terms(affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution),
            AntiAffinity = Terms(affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution),
            PreferredAffinity = [.. (affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, t.Weight))],
            PreferredAntiAffinity = [.. (affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, t.Weight))],
            DoNotDisrupt = pod.Metadata?.Annotations?.TryGetValue(WellKnownAnnotations.DoNotDisrupt, out var v) == true && v == "true",
        };
    }

    /// <summary>Kubernetes' effective request: the larger of the app containers' sum and the largest init container, plus overhead.</summary>
    public static ResourceList Requests(V1PodSpec spec) => Effective(spec, c => c.Resources?.Requests);

    /// <summary>The effective limits, computed as the requests are (resources without a limit count nothing).</summary>
    public static ResourceList Limits(V1PodSpec spec) => Effective(spec, c => c.Resources?.Limits);

    private static ResourceList Effective(V1PodSpec spec, Func<V1Container, IDictionary<string, ResourceQuantity>?> of)
    {
        var app = (spec.Containers ?? []).Aggregate(ResourceList.Empty, (sum, c) => sum.Add(ResourceList.FromQuantities(of(c))));
        var result = app;
        foreach (var init in spec.InitContainers ?? [])
        {
            var amounts = ResourceList.FromQuantities(of(init));
            result = ResourceList.Of(result.Names.Union(amounts.Names).Select(n => KeyValuePair.Create(n, Math.Max(result[n], amounts[n]))));
        }

        return result.Add(ResourceList.FromQuantities(spec.Overhead));
    }

    private static IReadOnlyList<Requirements> NodeRequirements(V1PodSpec spec)
    {
        var selector = (spec.NodeSelector ?? new Dictionary<string, string>()).Select(kv => Requirement.In(kv.Key, kv.Value)).ToList();
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        return terms.Count == 0
            ? [new Requirements(selector)]
            : [.. terms.Select(t => new Requirements([.. selector, .. Expressions(t.MatchExpressions)]))];
    }

    private static IEnumerable<Requirement> Expressions(IEnumerable<V1NodeSelectorRequirement>? expressions) =>
        (expressions ?? []).Select(e => Requirement.From(e.Key, e.OperatorProperty, e.Values));

    private static List<PodAffinityTerm> Terms(IEnumerable<V1PodAffinityTerm>? terms) => [.. (terms ?? []).Select(t => Term(t, 0))];

    private static PodAffinityTerm Term(V1PodAffinityTerm term, int weight) =>
        new(term.TopologyKey, Selector(term.LabelSelector), [.. term.Namespaces ?? []], weight);

    public static CoreLabelSelector Selector(V1LabelSelector? selector) =>
        selector is null
            ? CoreLabelSelector.Nothing
            : new CoreLabelSelector(
                (selector.MatchLabels ?? new Dictionary<string, string>()).ToDictionary(StringComparer.Ordinal),
                [.. (selector.MatchExpressions ?? []).Select(e => new LabelSelectorRequirement(e.Key, e.OperatorProperty, [.. e.Values ?? []]))]);
}
