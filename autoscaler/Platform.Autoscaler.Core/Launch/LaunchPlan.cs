using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Launch;

/// <summary>
/// Turns a planned NodeClaim into launch attempts: spot offerings first when the claim allows spot, then on-demand;
/// each tier cheapest first, without the offerings known to be unavailable. The launcher tries them in order and
/// marks every offering an attempt reports exhausted, so the rest of this launch and the next plan avoid it.
/// </summary>
public static class LaunchPlan
{
    /// <summary>The attempts, in the order to try them; empty when every offering is known unavailable.</summary>
    public static IReadOnlyList<LaunchAttempt> Attempts(PlannedNodeClaim claim, string nodeClass, UnavailableOfferings unavailable, DateTimeOffset now) =>
        Attempts(claim.Name, claim.NodePool, claim.Options, nodeClass, unavailable, now);

    /// <summary>The attempts for a NodeClaim known by name, pool and options (rebuilt from a stored NodeClaim).</summary>
    public static IReadOnlyList<LaunchAttempt> Attempts(
        string claimName, string nodePool, IReadOnlyList<LaunchOption> options, string nodeClass, UnavailableOfferings unavailable, DateTimeOffset now)
    {
        var attempts = new List<LaunchAttempt>();
        foreach (var capacityType in new[] { WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand })
        {
            var offerings = options
                .Where(o => o.CapacityType == capacityType && !unavailable.IsUnavailable(new OfferingKey(o.InstanceType, o.Zone, o.CapacityType), now))
                .ToList();
            if (offerings.Count > 0)
            {
                attempts.Add(new LaunchAttempt(claimName, nodePool, nodeClass, capacityType, offerings));
            }
        }

        return attempts;
    }

    /// <summary>
    /// Launches through the attempts in order. Every exhausted offering is marked (and reported through
    /// <paramref name="onFallback"/>); the first instance made wins. Throws the last capacity error when all fail.
    /// </summary>
    public static Task<CloudInstance> LaunchAsync(
        ICloudProvider cloud, PlannedNodeClaim claim, string nodeClass, UnavailableOfferings unavailable, Func<DateTimeOffset> now,
        Action<LaunchAttempt, InsufficientCapacityException>? onFallback, CancellationToken cancellationToken) =>
        LaunchAsync(cloud, claim.Name, claim.NodePool, claim.Options, nodeClass, unavailable, now, onFallback, cancellationToken);

    /// <summary>Launches a NodeClaim known by name, pool and options; see the overload for the rules.</summary>
    public static async Task<CloudInstance> LaunchAsync(
        ICloudProvider cloud, string claimName, string nodePool, IReadOnlyList<LaunchOption> options, string nodeClass, UnavailableOfferings unavailable,
        Func<DateTimeOffset> now, Action<LaunchAttempt, InsufficientCapacityException>? onFallback, CancellationToken cancellationToken)
    {
        InsufficientCapacityException? last = null;
        foreach (var attempt in Attempts(claimName, nodePool, options, nodeClass, unavailable, now()))
        {
            try
            {
                return await cloud.CreateAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (InsufficientCapacityException e)
            {
                var at = now();
                foreach (var offering in e.Offerings.Count > 0 ? e.Offerings : [.. attempt.Offerings.Select(o => new OfferingKey(o.InstanceType, o.Zone, o.CapacityType))])
                {
                    unavailable.Mark(offering, at);
                }

                onFallback?.Invoke(attempt, e);
                last = e;
            }
        }

        throw last ?? new InsufficientCapacityException([], $"every offering of {claimName} is marked unavailable");
    }
}
