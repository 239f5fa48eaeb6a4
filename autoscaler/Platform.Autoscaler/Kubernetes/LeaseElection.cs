using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease with the client's own <see cref="LeaderElector"/> and
/// <see cref="LeaseLock"/>: of the replicas running <see cref="RunAsync"/> on the same Lease, one at a time runs the
/// work. A leader that stops releases the Lease (holder cleared, duration one second, as client-go's
/// ReleaseOnCancel does), so another takes over within a retry period; one that cannot release it, or dies, leaves
/// it to expire after <see cref="LeaseElectionSettings.LeaseDuration"/>.
/// </summary>
/// <remarks>
/// The client's elector keeps time with the wall clock and jitters with its own Random; the injected
/// <see cref="TimeProvider"/> paces only this class's pause after a failed campaign.
/// </remarks>
public sealed class LeaseElection
{
    private readonly IKubernetes client;
    private readonly LeaseElectionSettings settings;
    private readonly TimeProvider time;
    private readonly Action<Exception>? onError;
    private volatile bool leading;
    private volatile string? leader;

    /// <summary>An election for <paramref name="settings"/>; <paramref name="onError"/> hears every failed attempt to read or write the Lease.</summary>
    /// <exception cref="ArgumentException">The settings are not usable; the message lists every problem.</exception>
    public LeaseElection(IKubernetes client, LeaseElectionSettings settings, TimeProvider time, Action<Exception>? onError = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.onError = onError;
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Lease election settings: {string.Join("; ", errors)}", nameof(settings));
        }
    }

    /// <summary>Whether this replica leads now.</summary>
    public bool IsLeader => leading;

    /// <summary>The identity last seen holding the Lease, this replica's included; null before any was seen.</summary>
    public string? Leader => leader;

    /// <summary>
    /// Campaigns until <paramref name="cancellationToken"/> is cancelled, and runs <paramref name="whileLeader"/> each
    /// time this replica wins, with a token that is cancelled as soon as leadership is lost (a renewal that did not
    /// succeed within the renew deadline) or the run is cancelled. After a loss it waits for the callback to end and
    /// campaigns again. When the callback ends by itself while leading, the run ends too: normally if the callback
    /// returned, with its exception if it threw. Cancellation ends the run normally.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeader);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var lease = new LeaseLock(client, settings.LeaseNamespace, settings.LeaseName, settings.Identity);
            lease.OnHttpError += e => onError?.Invoke(e);
            using var elector = new LeaderElector(new LeaderElectionConfig(lease)
            {
                LeaseDuration = settings.LeaseDuration,
                RenewDeadline = settings.RenewDeadline,
                RetryPeriod = settings.RetryPeriod,
            });
            Task<bool>? work = null;
            elector.OnNewLeader += identity => leader = identity;
            elector.OnError += e => onError?.Invoke(e);
            elector.OnStartedLeading += () =>
            {
                leading = true;
                work = Task.Run(() => LeadAsync(whileLeader, term), CancellationToken.None);
            };

            Exception? campaignFailure = null;
            try
            {
                await elector.RunUntilLeadershipLostAsync(term.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                // the run was cancelled, or the callback ended by itself
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The elector lets some failures out while campaigning (an unreachable API server, say).
                campaignFailure = e;
            }
            finally
            {
                leading = false;
                await term.CancelAsync().ConfigureAwait(false);
            }

            if (work is not null)
            {
                bool endedByItself;
                try
                {
                    endedByItself = await work.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (term.IsCancellationRequested)
                {
                    endedByItself = false; // stopped because leadership ended
                }

                if (endedByItself || cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }

                if (endedByItself)
                {
                    return;
                }
            }

            if (campaignFailure is not null)
            {
                onError?.Invoke(campaignFailure);
                try
                {
                    await Task.Delay(settings.RetryPeriod, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Hands the Lease back if this replica still holds it: the update carries the resourceVersion just read, so it
    /// never clears a successor's hold. Failures are reported, not thrown: the Lease then simply expires.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(settings.RenewDeadline, time);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(settings.LeaseName, settings.LeaseNamespace, cancellationToken: timeout.Token)
                .ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != settings.Identity)
            {
                return;
            }

            // Empty, not absent: the client's elector takes an empty holder as free, but tries to create the Lease
            // anew when the holder is missing.
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, settings.LeaseName, settings.LeaseNamespace, cancellationToken: timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            onError?.Invoke(e);
        }
    }

    /// <summary>Runs the callback; true when it returned before leadership ended.</summary>
    private static async Task<bool> LeadAsync(Func<CancellationToken, Task> whileLeader, CancellationTokenSource term)
    {
        try
        {
            await whileLeader(term.Token).ConfigureAwait(false);
            return !term.IsCancellationRequested;
        }
        finally
        {
            // Ending the work ends the term, so the elector stops renewing.
            await term.CancelAsync().ConfigureAwait(false);
        }
    }
}
