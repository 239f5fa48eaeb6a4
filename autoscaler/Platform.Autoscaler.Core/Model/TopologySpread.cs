namespace Platform.Autoscaler.Core.Model;

/// <summary>A topology spread constraint: pods matching the selector stay within maxSkew of each other across domains.</summary>
/// <param name="TopologyKey">Any node label: zone, hostname, capacity type, or a label a NodePool defines.</param>
/// <param name="MaxSkew">Largest allowed difference between the fullest and emptiest domain.</param>
/// <param name="DoNotSchedule">True for DoNotSchedule (hard); false for ScheduleAnyway (a preference).</param>
/// <param name="Selector">Which pods count.</param>
/// <param name="MinDomains">While fewer domains than this are eligible, the global minimum counts as 0.</param>
public sealed record TopologySpread(string TopologyKey, int MaxSkew, bool DoNotSchedule, LabelSelector Selector, int? MinDomains = null);
