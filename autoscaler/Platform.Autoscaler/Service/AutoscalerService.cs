using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Metrics;

namespace Platform.Autoscaler.Service;

/// <summary>
/// The generic host of <c>run</c>: JSON logs on stdout, /metrics on one port, /healthz and /readyz on another, and
/// <see cref="AutoscalerWorker"/>. SIGTERM stops it within the shutdown timeout (the pod's grace period is longer).
/// </summary>
internal static class AutoscalerService
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Builds the host for validated <paramref name="settings"/>. The other parameters replace, for tests, the client
    /// (in-cluster or kubeconfig), the clock and the AWS credential chain.
    /// </summary>
    public static WebApplication Build(
        RunSettings settings, IKubernetes? client = null, TimeProvider? time = null, Amazon.Runtime.AWSCredentials? awsCredentials = null)
    {
        var listen = System.Net.IPAddress.Parse(settings.BindAddress);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.SetMinimumLevel(settings.MinimumLevel ?? LogLevel.Information);
        // The web server's request logs would drown the controllers' at info.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen, settings.MetricsPort);
            kestrel.Listen(listen, settings.HealthPort);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var clock = time ?? TimeProvider.System;
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new AwsAccess(awsCredentials));
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(new ServiceHealth(clock, settings.StallLimit));
        builder.Services.AddSingleton(new AutoscalerMetrics());
        builder.Services.AddSingleton(client ?? new k8s.Kubernetes(ClientConfiguration(settings)));
        builder.Services.AddHostedService<AutoscalerWorker>();

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<AutoscalerMetrics>();
        var health = app.Services.GetRequiredService<ServiceHealth>();
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await http.Response.WriteAsync(await metrics.ExportAsync(http.RequestAborted).ConfigureAwait(false), http.RequestAborted).ConfigureAwait(false);
        }).RequireHost($"*:{settings.MetricsPort}");
        app.MapGet("/healthz", () => health.Stalled() is { Count: > 0 } stalled
            ? Results.Text(string.Join("\n", stalled), statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok")).RequireHost($"*:{settings.HealthPort}");
        app.MapGet("/readyz", () => health.Ready
            ? Results.Text("ok")
            : Results.Text("cluster caches not synced yet", statusCode: StatusCodes.Status503ServiceUnavailable)).RequireHost($"*:{settings.HealthPort}");
        return app;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or the process is told to stop.</summary>
    public static async Task RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        await using var app = Build(settings);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static KubernetesClientConfiguration ClientConfiguration(RunSettings settings) =>
        settings.Kubeconfig is { Length: > 0 } kubeconfig
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
}
