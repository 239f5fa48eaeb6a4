using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Diagnostics;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// The controllers over one context. <see cref="RunOnceAsync"/> runs one pass of each in data-flow order (simulate
/// and the tests drive it on a virtual clock); <see cref="Loops"/> gives each its own loop and period for the
/// service. A failing pass is logged and retried; no loop dies on an error. A loop whose passes keep failing waits
/// longer between them (doubling up to a minute), and says so in one line a minute: an unreachable API server or cloud
/// is one line to read, not a stack trace per second per controller.
/// </summary>
public sealed partial class AutoscalerControllers
{
    /// <summary>The longest pause between the passes of a loop that keeps failing.</summary>
    public static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromMinutes(1);

    private readonly RateLimitedLog failures;

    /// <summary>Creates the controllers.</summary>
    public AutoscalerControllers(ControllerContext context, IInterruptionSource? interruptions = null, INodeClassProvider? nodeClasses = null)
    {
        Context = context;
        NodeClasses = nodeClasses is null ? null : new NodeClassStatusController(context, nodeClasses);
        NodePools = new NodePoolStatusController(context);
        Provisioner = new Provisioner(context);
        Lifecycle = new NodeClaimLifecycle(context);
        Termination = new Termination(context);
        Disruption = new DisruptionController(context);
        Interruption = interruptions is null ? null : new InterruptionController(context, interruptions);
        GarbageCollection = new GarbageCollection(context);
        Metrics = new MetricsController(context);
        failures = new RateLimitedLog(context.Time, TimeSpan.FromMinutes(1));
    }

    /// <summary>The shared context.</summary>
    public ControllerContext Context { get; }

    /// <summary>EC2NodeClass status, when a node class provider is configured.</summary>
    public NodeClassStatusController? NodeClasses { get; }

    /// <summary>NodePool status.</summary>
    public NodePoolStatusController NodePools { get; }

    /// <summary>Provisioning.</summary>
    public Provisioner Provisioner { get; }

    /// <summary>Launch, registration, initialization.</summary>
    public NodeClaimLifecycle Lifecycle { get; }

    /// <summary>Drain and release.</summary>
    public Termination Termination { get; }

    /// <summary>Consolidation, drift, expiry.</summary>
    public DisruptionController Disruption { get; }

    /// <summary>Interruption handling, when a source is configured.</summary>
    public InterruptionController? Interruption { get; }

    /// <summary>Leak repair.</summary>
    public GarbageCollection GarbageCollection { get; }

    /// <summary>Gauges.</summary>
    public MetricsController Metrics { get; }

    /// <summary>Each controller's loop with its period, for the service.</summary>
    public IReadOnlyList<(string Name, Func<CancellationToken, Task> Pass, TimeSpan Period)> Loops =>
    [
        .. NodeClasses is null ? Array.Empty<(string, Func<CancellationToken, Task>, TimeSpan)>() : [("nodeclass", NodeClasses.ReconcileAsync, TimeSpan.FromSeconds(10))],
        ("nodepool", NodePools.ReconcileAsync, TimeSpan.FromSeconds(5)),
        ("provisioner", async ct => await Provisioner.ReconcileAsync(ct).ConfigureAwait(false), TimeSpan.FromSeconds(1)),
        ("lifecycle", Lifecycle.ReconcileAsync, TimeSpan.FromSeconds(1)),
        ("termination", Termination.ReconcileAsync, TimeSpan.FromSeconds(1)),
        ("disruption", Disruption.ReconcileAsync, TimeSpan.FromSeconds(1)),
        .. Interruption is null ? Array.Empty<(string, Func<CancellationToken, Task>, TimeSpan)>() : [("interruption", Interruption.ReconcileAsync, TimeSpan.Zero)],
        ("garbage-collection", GarbageCollection.ReconcileAsync, TimeSpan.FromSeconds(10)),
        ("metrics", Metrics.ReconcileAsync, TimeSpan.FromSeconds(15)),
    ];

    /// <summary>One pass of every controller, in data-flow order; each failure is logged and the rest still run.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, pass, period) in Loops)
        {
            await GuardAsync(name, pass, period, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one loop until cancelled.</summary>
    public async Task RunLoopAsync(string name, Func<CancellationToken, Task> pass, TimeSpan period, CancellationToken cancellationToken)
    {
        var failed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            failed = await GuardAsync(name, pass, period, failed, cancellationToken).ConfigureAwait(false) ? 0 : failed + 1;
            var pause = FailureBackoff(period, failed);
            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, Context.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The pause before the next pass: the period, doubled per pass failed in a row (from a second), up to a minute.</summary>
    public static TimeSpan FailureBackoff(TimeSpan period, int failedInARow) => failedInARow == 0
        ? period
        : TimeSpan.FromTicks(Math.Min(MaxFailureBackoff.Ticks, Math.Max(period.Ticks, TimeSpan.TicksPerSecond) << Math.Min(failedInARow - 1, 16)));

    private async Task<bool> GuardAsync(string name, Func<CancellationToken, Task> pass, TimeSpan period, int failedBefore, CancellationToken cancellationToken)
    {
        try
        {
            await pass(cancellationToken).ConfigureAwait(false);
            failures.Reset(name);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            if (failures.ShouldLog(name, out var suppressed))
            {
                var retry = FailureBackoff(period, failedBefore + 1);
                if (ErrorText.IsExternal(e))
                {
                    LogPassFailed(Context.Logger, name, ErrorText.Describe(e), retry.TotalSeconds, RateLimitedLog.Repeats(suppressed));
                }
                else
                {
                    // Not the cluster or the cloud: a bug, whose stack is worth the lines.
                    LogPassFailedWithStack(Context.Logger, e, name, retry.TotalSeconds, RateLimitedLog.Repeats(suppressed));
                }
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "{Controller} pass failed: {Error}; retrying in {RetrySeconds} s{Repeats}")]
    private static partial void LogPassFailed(ILogger logger, string controller, string error, double retrySeconds, string repeats);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "{Controller} pass failed; retrying in {RetrySeconds} s{Repeats}")]
    private static partial void LogPassFailedWithStack(ILogger logger, Exception error, string controller, double retrySeconds, string repeats);
}
