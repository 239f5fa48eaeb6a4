using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Diagnostics;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Metrics;

namespace Platform.Autoscaler.Service;

/// <summary>
/// The service's work: fill the cluster caches (then /readyz passes), build the AWS ports, and run the controllers'
/// loops while this replica holds the Lease. Each term gets fresh controllers, so nothing decided under a lost
/// lease (a pending disruption, a NodeClaim created but not yet seen) carries into the next; all such state is
/// rebuilt from the cluster. Stopping the host cancels the loops between calls; a launch cut short is repaired on
/// the next start because launches are idempotent per NodeClaim.
/// </summary>
internal sealed partial class AutoscalerWorker(
    RunSettings settings, AwsAccess access, IKubernetes client, ServiceHealth health, AutoscalerMetrics metrics, TimeProvider time, ILoggerFactory loggers,
    IHostApplicationLifetime lifetime)
    : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger("platform-autoscaler");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // One line an operator can act on, then a non-zero exit so the pod restarts and shows the failure.
            var error = ErrorText.IsExternal(e) ? ErrorText.Describe(e) : e.ToString();
            health.MarkFatal(error);
            LogFatal(logger, error);
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = new RateLimitedLog(time, TimeSpan.FromMinutes(1));
        await using var cluster = new KubernetesClusterPort(client, time, new ClusterPortOptions
        {
            Instance = settings.Identity,
            GpuOperator = settings.GpuOperator,
            OnInformerFailure = (request, error, consecutive) =>
            {
                metrics.KubernetesRequestErrors.WithLabels(RequestLabel(request)).Inc();
                if (failures.ShouldLog(request, out var suppressed))
                {
                    LogListWatchFailure(logger, request, ErrorText.Describe(error), consecutive, RateLimitedLog.Repeats(suppressed));
                }
            },
        });
        health.AddProblemSource(cluster.Problems);
        Scheduler.LoadSolvers(); // before the first plan, whose re-pack has 200 ms
        var monitor = new AwsCallMonitor(time, logger, metrics);
        health.AddProblemSource(() => monitor.Problem is { } problem ? [problem] : []);
        logger.LogInformation("Listing and watching the cluster at {Server}", client.BaseUri);
        await cluster.StartAsync(stoppingToken).ConfigureAwait(false);
        health.MarkSynced();
        var version = await client.Version.GetCodeAsync(stoppingToken).ConfigureAwait(false);
        var kubernetesVersion = $"{version.Major}.{version.Minor.TrimEnd('+')}";
        using var aws = await AwsCloud.CreateAsync(settings, access, cluster.FindNodeClass, kubernetesVersion, time, logger, monitor, stoppingToken).ConfigureAwait(false);
        logger.LogInformation("Cluster {Cluster} (Kubernetes {Version}) in {Region}; interruption queue {Queue}",
            settings.ClusterName, kubernetesVersion, settings.Region, settings.InterruptionQueue ?? "(none)");

        async Task LeadAsync(CancellationToken term)
        {
            logger.LogInformation("{Identity} is leading; starting the controllers", settings.Identity);
            var context = new ControllerContext(cluster, aws.Cloud, time, new ControllerOptions { ClusterName = settings.ClusterName }, metrics, logger);
            var controllers = new AutoscalerControllers(context, aws.Interruptions, aws.NodeClasses);
            await Task.WhenAll(controllers.Loops.Select(loop =>
                controllers.RunLoopAsync(loop.Name, health.Watch(loop.Name, loop.Pass), loop.Period, term))).ConfigureAwait(false);
            logger.LogInformation("{Identity} stopped leading", settings.Identity);
        }

        if (!settings.LeaderElection)
        {
            await LeadAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        var election = new LeaseElection(client,
            new LeaseElectionSettings { LeaseName = settings.LeaseName, LeaseNamespace = settings.PodNamespace!, Identity = settings.Identity },
            time, e => logger.LogWarning(ErrorText.StackUnlessExternal(e), "Lease {Lease}: {Message}", settings.LeaseName, ErrorText.Describe(e)));
        await election.RunAsync(LeadAsync, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>"list pods" from "list https://host/api/v1/pods": the metric's label without the host.</summary>
    private static string RequestLabel(string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var slash = request.LastIndexOf('/');
        return space < 0 || slash < space ? request : $"{request[..space]} {request[(slash + 1)..]}";
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "kubernetes {Request} failed {Failures} time(s) in a row: {Error}{Repeats}")]
    private static partial void LogListWatchFailure(ILogger logger, string request, string error, int failures, string repeats);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Critical, Message = "the autoscaler stopped: {Error}")]
    private static partial void LogFatal(ILogger logger, string error);
}
