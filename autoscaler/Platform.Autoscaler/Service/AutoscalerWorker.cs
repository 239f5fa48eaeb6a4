using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Scheduling;
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
internal sealed class AutoscalerWorker(
    RunSettings settings, AwsAccess access, IKubernetes client, ServiceHealth health, AutoscalerMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger("platform-autoscaler");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var cluster = new KubernetesClusterPort(client, time, new ClusterPortOptions { Instance = settings.Identity });
        Scheduler.LoadSolvers(); // before the first plan, whose re-pack has 200 ms
        logger.LogInformation("Listing and watching the cluster");
        await cluster.StartAsync(stoppingToken).ConfigureAwait(false);
        health.MarkSynced();
        var version = await client.Version.GetCodeAsync(stoppingToken).ConfigureAwait(false);
        var kubernetesVersion = $"{version.Major}.{version.Minor.TrimEnd('+')}";
        using var aws = await AwsCloud.CreateAsync(settings, access, cluster.FindNodeClass, kubernetesVersion, time, logger, stoppingToken).ConfigureAwait(false);
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
            time, e => logger.LogWarning(e, "Lease {Lease}: {Message}", settings.LeaseName, e.Message));
        await election.RunAsync(LeadAsync, stoppingToken).ConfigureAwait(false);
    }
}
