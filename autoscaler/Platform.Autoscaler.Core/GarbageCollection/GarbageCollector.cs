using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Core.GarbageCollection;

/// <summary>
/// Finds leaks both ways: instances tagged for this cluster that no NodeClaim owns (older than a grace period,
/// so a launch whose NodeClaim update is still in flight is not killed), and launched NodeClaims whose instance is
/// gone or terminating (the node will never come back). Pure: the caller lists both sides and passes the time.
/// </summary>
public static class GarbageCollector
{
    /// <summary>Karpenter's grace for an unowned instance before it is terminated.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);

    /// <summary>The clean-up for one pass.</summary>
    public static GarbageDecision Decide(IReadOnlyList<CloudInstance> instances, IReadOnlyList<ClaimRecord> claims, DateTimeOffset now, TimeSpan? grace = null)
    {
        var wait = grace ?? DefaultGrace;
        var claimNames = claims.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var claimedIds = claims.Where(c => c.ProviderId is not null).Select(c => c.ProviderId!).ToHashSet(StringComparer.Ordinal);
        var terminate = instances
            .Where(i => i.Running && !claimedIds.Contains(i.ProviderId) && (i.NodeClaim is null || !claimNames.Contains(i.NodeClaim)))
            .Where(i => now - i.LaunchedAt >= wait)
            .Select(i => (i, i.NodeClaim is null
                ? $"tagged for this cluster but for no NodeClaim, running since {i.LaunchedAt:u}"
                : $"its NodeClaim {i.NodeClaim} no longer exists"))
            .ToList();

        var running = instances.Where(i => i.Running).Select(i => i.ProviderId).ToHashSet(StringComparer.Ordinal);
        var delete = claims
            .Where(c => c.ProviderId is not null && !running.Contains(c.ProviderId))
            .Select(c => (c, $"its instance {c.ProviderId} is gone or terminating"))
            .ToList();
        return new GarbageDecision(terminate, delete);
    }
}
