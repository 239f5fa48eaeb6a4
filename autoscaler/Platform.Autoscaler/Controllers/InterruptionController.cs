using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Launch;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Acts on interruption notices. A spot interruption warning marks the offering unavailable (so no plan buys it
/// again for the TTL) and deletes the node's NodeClaim at once: its pods become provisionable, replacements are
/// bought in the next batch, and termination drains the node well inside the two-minute notice. Scheduled changes
/// and instances stopping or terminated are handled the same way, without marking; rebalance recommendations are
/// recorded only. Malformed or foreign messages are counted and logged; nothing the queue sends stops the loop.
/// </summary>
public sealed class InterruptionController(ControllerContext context, IInterruptionSource source)
{
    /// <summary>Receives one batch and handles it.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var batch = await source.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        foreach (var rejected in batch.Rejected)
        {
            context.Metrics.InterruptionRejected.Inc();
            context.Logger.LogWarning("interruption queue: deleted a message that is not a supported event: {Reason}", rejected);
        }

        if (batch.Messages.Count == 0)
        {
            return;
        }

        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (message, receipt) in batch.Messages)
        {
            context.Metrics.InterruptionMessages.WithLabels(message.Kind.ToString()).Inc();
            foreach (var instanceId in message.InstanceIds)
            {
                await HandleAsync(view, message, instanceId, cancellationToken).ConfigureAwait(false);
            }

            await source.AcknowledgeAsync(receipt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ClusterView view, InterruptionMessage message, string instanceId, CancellationToken cancellationToken)
    {
        var claim = view.Claims.Values.FirstOrDefault(c => c.Status?.ProviderID?.EndsWith("/" + instanceId, StringComparison.Ordinal) == true);
        if (claim is null)
        {
            context.Logger.LogInformation("interruption {Kind} for {Instance}, which no NodeClaim owns", message.Kind, instanceId);
            return;
        }

        var labels = claim.Metadata.Labels ?? new Dictionary<string, string>();
        if (message.Kind == InterruptionKind.SpotInterruption
            && labels.TryGetValue(WellKnownLabels.InstanceType, out var type) && labels.TryGetValue(WellKnownLabels.Zone, out var zone))
        {
            context.Unavailable.Mark(new OfferingKey(type, zone, WellKnownLabels.CapacityTypes.Spot), context.Now);
        }

        if (!message.Actionable)
        {
            context.Record("interruption", "observe", $"NodeClaim/{claim.Metadata.Name}", $"{message.Kind} for {instanceId}; no action");
            await context.EventAsync(ClusterEvent.Normal(NodeClaim.KindName, null, claim.Metadata.Name, message.Kind.ToString(), $"{message.Kind} for {instanceId}"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var reason = message.Kind switch
        {
            InterruptionKind.SpotInterruption => "SpotInterrupted",
            InterruptionKind.ScheduledChange => "ScheduledChange",
            _ => "InstanceStopped",
        };
        await context.DeleteClaimAsync(claim, reason, "interruption", $"{message.Kind} for {instanceId} at {message.Time:u}", cancellationToken).ConfigureAwait(false);
    }
}
