using Platform.Autoscaler.Core.GarbageCollection;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Repairs leaks both ways, every <see cref="ControllerOptions.GarbageCollectionInterval"/>: instances tagged for this
/// cluster that no NodeClaim owns (a crash between launch and status write, a claim deleted by hand) are
/// terminated after a grace period; NodeClaims whose instance is gone are deleted.
/// </summary>
public sealed class GarbageCollection(ControllerContext context)
{
    private DateTimeOffset next = DateTimeOffset.MinValue;

    /// <summary>One pass when due.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (context.Now < next)
        {
            return;
        }

        next = context.Now + context.Options.GarbageCollectionInterval;
        var instances = await context.Cloud.ListAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var claims = snapshot.NodeClaims.Select(c => new ClaimRecord(c.Metadata.Name, c.Status?.ProviderID,
            c.Metadata.CreationTimestamp is { } t ? t.AsUtc() : context.Now)).ToList();
        var decision = GarbageCollector.Decide(instances, claims, context.Now, context.Options.GarbageGrace);
        foreach (var (instance, why) in decision.TerminateInstances)
        {
            try
            {
                await context.Cloud.DeleteAsync(instance.ProviderId, cancellationToken).ConfigureAwait(false);
            }
            catch (InstanceNotFoundException)
            {
                // Gone meanwhile.
            }

            context.Record("garbage-collection", "terminate", instance.ProviderId, why);
        }

        foreach (var (record, why) in decision.DeleteClaims)
        {
            if (snapshot.NodeClaims.FirstOrDefault(c => c.Metadata.Name == record.Name) is { } claim)
            {
                await context.DeleteClaimAsync(claim, "GarbageCollected", "garbage-collection", why, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
