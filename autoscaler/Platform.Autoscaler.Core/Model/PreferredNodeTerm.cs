using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Model;

/// <summary>A preferred node affinity term with its weight.</summary>
public sealed record PreferredNodeTerm(int Weight, Requirements Requirements);
