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
        var labels = (pod.Metadata?.Labels ?? new Dictionary<string, string>()).ToDictionary(StringComparer.Ordinal);
        PodAffinityTerm Term(V1PodAffinityTerm term, int weight) => new(
            term.TopologyKey,
            WithLabelKeys(Selector(term.LabelSelector), labels, term.MatchLabelKeys, term.MismatchLabelKeys),
            [.. term.Namespaces ?? []],
            weight,
            term.NamespaceSelector is null ? null : Selector(term.NamespaceSelector));
        return new CorePod
        {
            Namespace = ns,
            Name = pod.Metadata?.Name ?? "",
            Labels = labels,
            Requests = Requests(spec),
            NodeRequirements = NodeRequirements(spec),
            PreferredNodeTerms = [.. (affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
                .Select(t => new PreferredNodeTerm(t.Weight, new Requirements(Expressions(t.Preference?.MatchExpressions))))],
            Tolerations = [.. (spec.Tolerations ?? []).Select(t => new CoreToleration(t.Key, t.OperatorProperty, t.Value, t.Effect))],
            TopologySpread = [.. (spec.TopologySpreadConstraints ?? []).Select(c => new TopologySpread(
                c.TopologyKey, c.MaxSkew, c.WhenUnsatisfiable != "ScheduleAnyway", WithLabelKeys(Selector(c.LabelSelector), labels, c.MatchLabelKeys, null), c.MinDomains))],
            Affinity = [.. (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t, 0))],
            AntiAffinity = [.. (affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t, 0))],
            PreferredAffinity = [.. (affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, t.Weight))],
            PreferredAntiAffinity = [.. (affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, t.Weight))],
            Refusal = UnsupportedPodFields.Refusal(spec),
            DoNotDisrupt = pod.Metadata?.Annotations?.TryGetValue(WellKnownAnnotations.DoNotDisrupt, out var v) == true && v == "true",
        };
    }

    /// <summary>
    /// A pod already on a node. One whose amounts cannot be read (<see cref="PodChecks"/>) counts with no requests and
    /// as do-not-disrupt: its node must not look empty to consolidation because of what the autoscaler cannot read.
    /// </summary>
    public static CorePod ConvertBound(V1Pod pod) =>
        PodChecks.Problem(pod.Spec) is null
            ? Convert(pod)
            : Convert(new V1Pod { Metadata = pod.Metadata, Spec = new V1PodSpec { NodeName = pod.Spec?.NodeName, Containers = [] } }) with { DoNotDisrupt = true };

    /// <summary>
    /// Kubernetes' effective request, as kube-scheduler and Karpenter compute it (component-helpers' PodRequests): the
    /// app containers summed; each restartable init container (a sidecar) adds to that and runs beside every init
    /// container after it; the largest init step wins where it is larger; pod-level requests replace the containers'
    /// for cpu, memory and hugepages; overhead on top. A resource with a limit and no request requests its limit: the
    /// API server defaults pods so, but DaemonSet templates and the templates <c>plan</c> expands never went through it.
    /// </summary>
    public static ResourceList Requests(V1PodSpec spec) => Aggregate(spec, Effective);

    /// <summary>The effective limits, computed as the requests are (resources without a limit count nothing).</summary>
    public static ResourceList Limits(V1PodSpec spec) => Aggregate(spec, r => ResourceList.FromQuantities(r?.Limits));

    private static ResourceList Aggregate(V1PodSpec spec, Func<V1ResourceRequirements?, ResourceList> of)
    {
        var app = (spec.Containers ?? []).Aggregate(ResourceList.Empty, (sum, c) => sum.Add(of(c.Resources)));
        var sidecars = ResourceList.Empty;
        var init = ResourceList.Empty;
        foreach (var container in spec.InitContainers ?? [])
        {
            var amounts = of(container.Resources);
            if (container.RestartPolicy == "Always")
            {
                app = app.Add(amounts);
                sidecars = sidecars.Add(amounts);
                amounts = sidecars;
            }
            else
            {
                amounts = amounts.Add(sidecars);
            }

            init = Max(init, amounts);
        }

        var result = Max(app, init);
        if (spec.Resources is { } podLevel)
        {
            var pod = of(podLevel);
            var replaced = pod.Names.Where(n => n is WellKnownResources.Cpu or WellKnownResources.Memory || n.StartsWith("hugepages-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            result = ResourceList.Of(result.Entries.Where(e => !replaced.Contains(e.Key)).Concat(pod.Entries.Where(e => replaced.Contains(e.Key))));
        }

        return result.Add(ResourceList.FromQuantities(spec.Overhead));
    }

    /// <summary>Requests, with the limit standing in for every resource limited but not requested.</summary>
    private static ResourceList Effective(V1ResourceRequirements? resources)
    {
        var requests = ResourceList.FromQuantities(resources?.Requests);
        var limits = ResourceList.FromQuantities(resources?.Limits);
        var requested = requests.Names.ToHashSet(StringComparer.Ordinal);
        return ResourceList.Of(requests.Entries.Concat(limits.Entries.Where(e => !requested.Contains(e.Key))));
    }

    private static ResourceList Max(ResourceList a, ResourceList b) =>
        ResourceList.Of(a.Names.Union(b.Names).Select(n => KeyValuePair.Create(n, Math.Max(a[n], b[n]))));

    /// <summary>
    /// matchLabelKeys and mismatchLabelKeys as the API server merges them into the selector when it creates a pod: the
    /// pod's value of each key is required (or excluded). Keys the pod lacks are ignored, as Kubernetes does.
    /// </summary>
    private static CoreLabelSelector WithLabelKeys(CoreLabelSelector selector, Dictionary<string, string> labels, IEnumerable<string>? match, IEnumerable<string>? mismatch)
    {
        var added = (match ?? []).Where(labels.ContainsKey).Select(k => new LabelSelectorRequirement(k, Operators.In, [labels[k]]))
            .Concat((mismatch ?? []).Where(labels.ContainsKey).Select(k => new LabelSelectorRequirement(k, Operators.NotIn, [labels[k]])))
            .ToList();
        return added.Count == 0 ? selector : selector with { MatchExpressions = [.. selector.MatchExpressions, .. added] };
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

    public static CoreLabelSelector Selector(V1LabelSelector? selector) =>
        selector is null
            ? CoreLabelSelector.Nothing
            : new CoreLabelSelector(
                (selector.MatchLabels ?? new Dictionary<string, string>()).ToDictionary(StringComparer.Ordinal),
                [.. (selector.MatchExpressions ?? []).Select(e => new LabelSelectorRequirement(e.Key, e.OperatorProperty, [.. e.Values ?? []]))]);
}
