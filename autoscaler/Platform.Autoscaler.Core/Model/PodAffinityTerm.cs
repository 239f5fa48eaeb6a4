namespace Platform.Autoscaler.Core.Model;

/// <summary>A pod (anti-)affinity term: the domain of <paramref name="TopologyKey"/> must (not) hold a pod matching the selector.</summary>
/// <param name="TopologyKey">Usually kubernetes.io/hostname or topology.kubernetes.io/zone.</param>
/// <param name="Selector">The pods looked for.</param>
/// <param name="Namespaces">Namespaces searched; with no <paramref name="NamespaceSelector"/> either, the pod's own.</param>
/// <param name="Weight">For preferred terms, 1..100; zero for required terms.</param>
/// <param name="NamespaceSelector">Also searches the namespaces whose labels it matches; empty matches every namespace.</param>
public sealed record PodAffinityTerm(string TopologyKey, LabelSelector Selector, IReadOnlyList<string> Namespaces, int Weight = 0, LabelSelector? NamespaceSelector = null);
