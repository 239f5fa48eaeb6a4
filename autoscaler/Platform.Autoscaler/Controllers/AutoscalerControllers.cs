using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// The controllers over one context. <see cref="RunOnceAsync"/> runs one pass of each in data-flow order (simulate
/// and the tests drive it on a virtual clock); <see cref="Loops"/> gives each its own loop and period for the
/// service. A failing pass is logged and retried; no loop dies on an error.
/// </summary>
public sealed class AutoscalerControllers
{
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
        foreach (var (name, pass, _) in Loops)
        {
            await GuardAsync(name, pass, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one loop until cancelled.</summary>
    public async Task RunLoopAsync(string name, Func<CancellationToken, Task> pass, TimeSpan period, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await GuardAsync(name, pass, cancellationToken).ConfigureAwait(false);
            if (period > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(period, Context.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task GuardAsync(string name, Func<CancellationToken, Task> pass, CancellationToken cancellationToken)
    {
        try
        {
            await pass(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Context.Logger.LogError(e, "{Controller} pass failed; retrying next pass", name);
        }
    }
}
