using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>Everything one disruption decision needs: the owned nodes, other nodes, pools, PDBs and the time.</summary>
/// <param name="Nodes">Nodes the autoscaler owns (candidates).</param>
/// <param name="OtherNodes">Nodes it does not own but pods may move to (the system node group).</param>
/// <param name="Pools">NodePools with their instance types, for replacements.</param>
/// <param name="Policies">Each pool's disruption settings, by pool name.</param>
/// <param name="Budgets">PodDisruptionBudgets.</param>
/// <param name="Now">The decision's time (budget windows, ages, consolidateAfter).</param>
/// <param name="Cache">Solver work kept across the pass's simulations (and across passes, if the caller keeps it).</param>
public sealed record DisruptionInput(
    IReadOnlyList<NodeState> Nodes,
    IReadOnlyList<ClusterNode> OtherNodes,
    IReadOnlyList<NodePoolTemplate> Pools,
    IReadOnlyDictionary<string, DisruptionPolicy> Policies,
    IReadOnlyList<PodDisruptionBudget> Budgets,
    DateTimeOffset Now,
    Scheduling.SchedulerCache? Cache = null)
{
    /// <summary>Namespace labels, for pod affinity terms' namespaceSelectors in the simulations.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? NamespaceLabels { get; init; }
}
