using Platform.Autoscaler.Api;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Controllers;

/// <summary>The NodeClaim lifecycle conditions Karpenter sets, and reading and writing them.</summary>
internal static class NodeClaimConditions
{
    public const string Launched = "Launched";
    public const string Registered = "Registered";
    public const string Initialized = "Initialized";

    public static bool IsTrue(NodeClaim claim, string type) =>
        claim.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    public static DateTimeOffset? Since(NodeClaim claim, string type) =>
        claim.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True")?.LastTransitionTime is { } at
            ? at.AsUtc()
            : null;

    /// <summary>The status with the condition set True (kept as is when already True).</summary>
    public static NodeClaimStatus With(NodeClaimStatus? status, string type, string reason, string message, DateTimeOffset now)
    {
        var conditions = (status?.Conditions ?? []).Where(c => c.Type != type).ToList();
        var existing = status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
        conditions.Add(existing ?? new Condition { Type = type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now.UtcDateTime });
        return (status ?? new NodeClaimStatus()) with { Conditions = conditions };
    }
}
