using System.Net;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Service;

/// <summary>
/// The service's configuration, from flags or the environment the stack's Deployment sets. <see cref="Validate"/>
/// names every problem at once by its environment variable and flag, so a bad rollout fails at start with one
/// message instead of at the first launch.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The service account's CA bundle: the cluster CA that nodes trust.</summary>
    public const string InClusterCaFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    /// <summary>The EKS cluster's name (CLUSTER_NAME): tags, user data and the garbage collector's scope.</summary>
    public string ClusterName { get; init; } = "";

    /// <summary>The AWS region (AWS_REGION).</summary>
    public string Region { get; init; } = "";

    /// <summary>The API server URL new nodes join (CLUSTER_ENDPOINT).</summary>
    public string ClusterEndpoint { get; init; } = "";

    /// <summary>The PEM CA bundle new nodes trust (CLUSTER_CA_FILE).</summary>
    public string ClusterCaFile { get; init; } = InClusterCaFile;

    /// <summary>The cluster's service CIDR (CLUSTER_SERVICE_CIDR), which nodeadm derives cluster DNS from.</summary>
    public string ServiceCidr { get; init; } = "10.100.0.0/16";

    /// <summary>The SQS queue of interruption events, by name or URL (INTERRUPTION_QUEUE); none turns handling off.</summary>
    public string? InterruptionQueue { get; init; }

    /// <summary>debug, info, warn or error (LOG_LEVEL).</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Whether replicas elect a leader (LEADER_ELECT); off only for a single replica run by hand.</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>The coordination.k8s.io Lease's name (LEADER_ELECTION_LEASE).</summary>
    public string LeaseName { get; init; } = "platform-autoscaler";

    /// <summary>This pod's namespace (POD_NAMESPACE): the Lease's and the events' namespace.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>This pod's name (POD_NAME): its identity in the Lease and on events.</summary>
    public string? PodName { get; init; }

    /// <summary>The address /metrics and the probes listen on (BIND_ADDRESS): every interface by default.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>The /metrics port (METRICS_PORT).</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>The /healthz and /readyz port (HEALTH_PROBE_PORT).</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>A kubeconfig file (KUBECONFIG) for running outside the cluster; in-cluster config otherwise.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>An AWS endpoint override (AWS_ENDPOINT_URL), for an emulator.</summary>
    public string? AwsEndpoint { get; init; }

    /// <summary>An on-demand price table (PRICES_FILE: instance_type,on_demand_usd_per_hour); the bundled prices by default.</summary>
    public string? PricesFile { get; init; }

    /// <summary>The GPU Operator's namespace (GPU_OPERATOR_NAMESPACE), whose ConfigMaps hold its MIG and device plugin configs.</summary>
    public string GpuOperatorNamespace { get; init; } = GpuOperatorSource.DefaultNamespace;

    /// <summary>The MIG manager's ConfigMap (MIG_CONFIG_MAP; the chart's migManager.config.name).</summary>
    public string MigConfigMap { get; init; } = GpuOperatorSource.OperatorMigConfigMap;

    /// <summary>The device plugin's ConfigMap (DEVICE_PLUGIN_CONFIG_MAP; the chart's devicePlugin.config.name), if any.</summary>
    public string? DevicePluginConfigMap { get; init; }

    /// <summary>The device plugin's default entry (DEVICE_PLUGIN_DEFAULT_CONFIG; the chart's devicePlugin.config.default).</summary>
    public string? DevicePluginDefaultConfig { get; init; }

    /// <summary>The cluster's MIG strategy (MIG_STRATEGY; the chart's mig.strategy).</summary>
    public string MigStrategy { get; init; } = MigStrategies.Single;

    /// <summary>Where the autoscaler reads the GPU Operator's configs.</summary>
    public GpuOperatorSource GpuOperator => new(GpuOperatorNamespace, MigConfigMap, DevicePluginConfigMap, DevicePluginDefaultConfig, MigStrategy);

    /// <summary>How long a controller pass may run before /healthz reports it stuck.</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The log level as Microsoft.Extensions.Logging names it; null when <see cref="LogLevel"/> is unknown.</summary>
    public LogLevel? MinimumLevel => LogLevel.ToLowerInvariant() switch
    {
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => null,
    };

    /// <summary>This replica's identity: the pod name, else the host name.</summary>
    public string Identity => string.IsNullOrWhiteSpace(PodName) ? Environment.MachineName : PodName;

    /// <summary>Every problem, each naming the variable, the flag and the reason; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate(Func<string, bool> fileExists)
    {
        var errors = new List<string>();
        void Problem(string variable, string flag, string reason) => errors.Add($"{variable} (--{flag}): {reason}");

        if (string.IsNullOrWhiteSpace(ClusterName))
        {
            Problem("CLUSTER_NAME", "cluster-name", "required");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            Problem("AWS_REGION", "region", "required");
        }
        else if (Amazon.RegionEndpoint.EnumerableAllRegions.All(r => r.SystemName != Region))
        {
            Problem("AWS_REGION", "region", $"\"{Region}\" is not an AWS region");
        }

        if (string.IsNullOrWhiteSpace(ClusterEndpoint))
        {
            Problem("CLUSTER_ENDPOINT", "cluster-endpoint", "required: the API server URL new nodes join (the EKS cluster's endpoint)");
        }
        else if (!Uri.TryCreate(ClusterEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            Problem("CLUSTER_ENDPOINT", "cluster-endpoint", $"\"{ClusterEndpoint}\" is not an https URL");
        }

        if (!fileExists(ClusterCaFile))
        {
            Problem("CLUSTER_CA_FILE", "cluster-ca-file", $"{ClusterCaFile}: no such file (the cluster CA bundle nodes trust)");
        }

        if (!IPNetwork.TryParse(ServiceCidr, out _))
        {
            Problem("CLUSTER_SERVICE_CIDR", "service-cidr", $"\"{ServiceCidr}\" is not a CIDR");
        }

        if (MinimumLevel is null)
        {
            Problem("LOG_LEVEL", "log-level", $"\"{LogLevel}\" is not one of debug, info, warn, error");
        }

        if (LeaderElection && string.IsNullOrWhiteSpace(PodNamespace))
        {
            Problem("POD_NAMESPACE", "pod-namespace", "required for leader election (the Lease's namespace); set it from the downward API");
        }

        if (LeaderElection && string.IsNullOrWhiteSpace(LeaseName))
        {
            Problem("LEADER_ELECTION_LEASE", "leader-election-lease", "required for leader election");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            Problem("BIND_ADDRESS", "bind-address", $"\"{BindAddress}\" is not an IP address (0.0.0.0 for every interface, 127.0.0.1 for this host only, :: for IPv6)");
        }

        foreach (var (variable, flag, port) in new[] { ("METRICS_PORT", "metrics-port", MetricsPort), ("HEALTH_PROBE_PORT", "health-probe-port", HealthPort) })
        {
            if (port is < 1 or > 65535)
            {
                Problem(variable, flag, $"{port} is not a TCP port (1-65535)");
            }
        }

        if (MetricsPort == HealthPort)
        {
            Problem("HEALTH_PROBE_PORT", "health-probe-port", $"{HealthPort} is the metrics port too; they must differ");
        }

        if (Kubeconfig is { Length: > 0 } kubeconfig && !fileExists(kubeconfig))
        {
            Problem("KUBECONFIG", "kubeconfig", $"{kubeconfig}: no such file");
        }

        if (PricesFile is { Length: > 0 } prices && !fileExists(prices))
        {
            Problem("PRICES_FILE", "prices", $"{prices}: no such file");
        }

        if (!MigStrategies.All.Contains(MigStrategy))
        {
            Problem("MIG_STRATEGY", "mig-strategy", $"\"{MigStrategy}\" is not one of {string.Join(", ", MigStrategies.All)}");
        }

        if (string.IsNullOrWhiteSpace(GpuOperatorNamespace))
        {
            Problem("GPU_OPERATOR_NAMESPACE", "gpu-operator-namespace", "required: the namespace of the GPU Operator's ConfigMaps");
        }

        if (AwsEndpoint is { Length: > 0 } aws && !Uri.TryCreate(aws, UriKind.Absolute, out _))
        {
            Problem("AWS_ENDPOINT_URL", "aws-endpoint", $"\"{aws}\" is not a URL");
        }

        return errors;
    }
}
