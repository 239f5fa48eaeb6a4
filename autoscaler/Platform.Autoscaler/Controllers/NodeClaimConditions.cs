using Platform.Autoscaler.Api;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// The NodeClaim lifecycle conditions Karpenter sets, and reading and writing them. As Karpenter's condition set
/// (Launched, Registered, Initialized under Ready) writes them, every status carries all three, Unknown until reached,
/// and Ready over them: True once all three are, else the first that is not, so <c>kubectl get nodeclaims</c> shows
/// READY and why not.
/// </summary>
internal static class NodeClaimConditions
{
    public const string Launched = "Launched";
    public const string Registered = "Registered";
    public const string Initialized = "Initialized";
    public const string Ready = "Ready";

    // Each lifecycle condition with what it says while not reached yet.
    private static readonly (string Type, string Reason, string Message)[] Lifecycle =
    [
        (Launched, "AwaitingReconciliation", "object is awaiting reconciliation"),
        (Registered, "NodeNotFound", "Node not registered with cluster"),
        (Initialized, "AwaitingReconciliation", "object is awaiting reconciliation"),
    ];

    public static bool IsTrue(NodeClaim claim, string type) =>
        claim.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    public static DateTimeOffset? Since(NodeClaim claim, string type) =>
        claim.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True")?.LastTransitionTime is { } at
            ? at.AsUtc()
            : null;

    /// <summary>The status with the condition set True (kept as is when already True), and Ready recomputed.</summary>
    public static NodeClaimStatus With(NodeClaimStatus? status, string type, string reason, string message, DateTimeOffset now)
    {
        var conditions = (status?.Conditions ?? []).Where(c => c.Type != type).ToList();
        var existing = status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
        conditions.Add(existing ?? new Condition { Type = type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now.UtcDateTime });
        return (status ?? new NodeClaimStatus()) with { Conditions = WithReady(conditions, now) };
    }

    /// <summary>
    /// The conditions with each lifecycle condition not reached yet as Unknown, and Ready as the first False, else the
    /// first Unknown, else True; a condition keeps its transition time while its status holds. Sorted by type, as
    /// Karpenter stores them.
    /// </summary>
    private static List<Condition> WithReady(List<Condition> conditions, DateTimeOffset now)
    {
        foreach (var (type, reason, message) in Lifecycle.Where(l => !conditions.Any(c => c.Type == l.Type)))
        {
            conditions.Add(new Condition { Type = type, Status = "Unknown", Reason = reason, Message = message, LastTransitionTime = now.UtcDateTime });
        }

        // NodeClaim conditions carry no observedGeneration.
        var ready = ConditionStamps.Stamp(
            ConditionStamps.ReadyOver([.. Lifecycle.Select(l => conditions.First(c => c.Type == l.Type))]), conditions.FirstOrDefault(c => c.Type == Ready), null, now);
        return [.. conditions.Where(c => c.Type != Ready).Append(ready).OrderBy(c => c.Type, StringComparer.Ordinal)];
    }
}
