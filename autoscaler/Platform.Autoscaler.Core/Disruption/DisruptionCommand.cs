using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>
/// One decided disruption: the nodes to remove, the replacements to launch (and have initialized) first, the
/// hourly saving, and why. A command is a value: the service re-validates it after a delay and carries it out.
/// </summary>
/// <param name="Method">Expiration, Drift, Emptiness, MultiNodeConsolidation or SingleNodeConsolidation.</param>
/// <param name="Reason">The budget reason: Expired, Drifted, Empty or Underutilized.</param>
/// <param name="Candidates">Nodes to remove.</param>
/// <param name="Replacements">NodeClaims to launch first; empty for a plain delete.</param>
/// <param name="Savings">Hourly cost removed less the replacements' cost.</param>
/// <param name="Why">One line a person can read.</param>
public sealed record DisruptionCommand(
    string Method,
    string Reason,
    IReadOnlyList<NodeState> Candidates,
    IReadOnlyList<PlannedNodeClaim> Replacements,
    double Savings,
    string Why)
{
    /// <summary>Replace rather than only delete.</summary>
    public bool IsReplace => Replacements.Count > 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Method} ({Reason}): {(IsReplace ? "replace" : "delete")} {string.Join(", ", Candidates.Select(c => $"{c.Name} [{c.InstanceType} {c.CapacityType} ${c.Price:F4}/h]"))}"
        + (IsReplace ? $" with {string.Join(", ", Replacements.Select(r => $"{r.Cheapest.InstanceType} {r.Cheapest.CapacityType} ${r.Price:F4}/h"))}" : "")
        + $"; saves ${Savings:F4}/h; {Why}";
}
