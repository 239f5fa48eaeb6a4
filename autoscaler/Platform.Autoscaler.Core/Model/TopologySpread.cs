namespace Platform.Autoscaler.Core.Model;

/// <summary>A topology spread constraint: pods matching the selector stay within maxSkew of each other across domains.</summary>
/// <param name="TopologyKey">topology.kubernetes.io/zone, kubernetes.io/hostname or karpenter.sh/capacity-type.</param>
/// <param name="MaxSkew">Largest allowed difference between the fullest and emptiest domain.</param>
/// <param name="DoNotSchedule">True for DoNotSchedule (hard); false for ScheduleAnyway (a preference).</param>
/// <param name="Selector">Which pods count.</param>
public sealed record TopologySpread(string TopologyKey, int MaxSkew, bool DoNotSchedule, LabelSelector Selector);
