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
    /// (in-cluster or kubeconfig), the clock, the AWS credential chain and the listen address (the settings' bind address),
    /// and add a log sink.
    /// </summary>
    public static WebApplication Build(
        RunSettings settings, IKubernetes? client = null, TimeProvider? time = null, Amazon.Runtime.AWSCredentials? awsCredentials = null,
        System.Net.IPAddress? listen = null, ILoggerProvider? extraLogs = null)
    {
        listen ??= System.Net.IPAddress.Parse(settings.BindAddress);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        if (extraLogs is not null)
        {
            builder.Logging.AddProvider(extraLogs);
        }

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
        builder.Services.AddSingleton(client ?? new k8s.Kubernetes(ClientConfiguration(settings).Configuration
            ?? throw new InvalidOperationException(ClientConfiguration(settings).Problem)));
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
        app.MapGet("/readyz", () => health.NotReadyBecause() is { Count: > 0 } problems
            ? Results.Text(string.Join("\n", problems), statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok")).RequireHost($"*:{settings.HealthPort}");
        return app;
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled or the process is told to stop: 0 then, 1 when a
    /// fatal error stopped the service (logged as one line).
    /// </summary>
    public static async Task<int> RunAsync(RunSettings settings, KubernetesClientConfiguration configuration, CancellationToken cancellationToken)
    {
        await using var app = Build(settings, new k8s.Kubernetes(configuration));
        var health = app.Services.GetRequiredService<ServiceHealth>();
        try
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (health.Fatal is not null && !cancellationToken.IsCancellationRequested)
        {
            // A fatal error early enough stops the host while Kestrel still binds its ports; it is logged already.
        }

        return health.Fatal is null ? 0 : 1;
    }

    /// <summary>
    /// How to reach the API server: the kubeconfig named, else in-cluster, else the default kubeconfig. A file that is
    /// empty, not YAML, or without a current context is a problem to report, not an exception.
    /// </summary>
    public static (KubernetesClientConfiguration? Configuration, string? Problem) ClientConfiguration(RunSettings settings)
    {
        var source = settings.Kubeconfig is { Length: > 0 } file ? $"kubeconfig {file}" : "the default kubeconfig";
        try
        {
            return (settings.Kubeconfig is { Length: > 0 } kubeconfig
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildDefaultConfig(), null);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // Whatever the client's kubeconfig reader throws (KubeConfigException, YamlException, a NullReferenceException
            // for a file without contexts, a KeyNotFoundException for a context naming no cluster) means the file is
            // unusable, which is what the operator needs to hear.
            var reason = e switch
            {
                NullReferenceException => "it has no usable current context, cluster and user",
                YamlDotNet.Core.YamlException yaml => $"not YAML at line {yaml.Start.Line}, column {yaml.Start.Column}: {(yaml.InnerException ?? yaml).Message}",
                _ => e.Message,
            };
            reason = reason.ReplaceLineEndings(" ");
            return (null, $"{source}: {reason}");
        }
    }
}
