using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>A PodDisruptionBudget as its status reports it: how many more of its pods may be evicted now.</summary>
public sealed record PodDisruptionBudget(string Namespace, string Name, LabelSelector Selector, int DisruptionsAllowed)
{
    /// <summary>Whether the budget covers the pod.</summary>
    public bool Covers(Pod pod) => pod.Namespace == Namespace && Selector.Matches(pod.Labels);
}
