namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// Requirement and taint compatibility of a constraint set with each type of a pool: the expensive part of a fit,
/// shared by every pod group with the same requirements and tolerations, whatever their size or labels.
/// </summary>
/// <param name="Reason">Why the pool cannot take such pods at all, or null.</param>
/// <param name="Matches">Per type: requirements and offerings allow it.</param>
/// <param name="Price">Per matching type: its cheapest offering the constraints allow.</param>
internal sealed record Compatibility(string? Reason, bool[] Matches, double[] Price);
