using System.CommandLine;
using System.Globalization;
using Platform.Autoscaler.Service;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// <c>run</c>: the in-cluster service. Every setting is a flag whose default is an environment variable (the stack's
/// Deployment sets the variables); the settings are validated before anything connects, every problem at once.
/// </summary>
internal static class RunCommand
{
    private sealed record Setting(string Flag, string Variable, string Description, Option<string?> Option);

    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        Setting Define(string flag, string variable, string description) => new(flag, variable, description,
            new Option<string?>($"--{flag}") { Description = $"{description} [env {variable}]", DefaultValueFactory = _ => environment(variable) });

        var settings = new[]
        {
            Define("cluster-name", "CLUSTER_NAME", "EKS cluster name"),
            Define("region", "AWS_REGION", "AWS region"),
            Define("cluster-endpoint", "CLUSTER_ENDPOINT", "API server URL that new nodes join"),
            Define("cluster-ca-file", "CLUSTER_CA_FILE", $"PEM CA bundle new nodes trust (default {RunSettings.InClusterCaFile})"),
            Define("service-cidr", "CLUSTER_SERVICE_CIDR", "the cluster's service CIDR (default 10.100.0.0/16)"),
            Define("interruption-queue", "INTERRUPTION_QUEUE", "SQS queue name or URL of interruption events; unset turns handling off"),
            Define("log-level", "LOG_LEVEL", "debug, info, warn or error (default info)"),
            Define("leader-elect", "LEADER_ELECT", "true or false: elect a leader among replicas (default true)"),
            Define("leader-election-lease", "LEADER_ELECTION_LEASE", "Lease name (default platform-autoscaler)"),
            Define("pod-namespace", "POD_NAMESPACE", "this pod's namespace: the Lease's namespace"),
            Define("pod-name", "POD_NAME", "this pod's name: its identity in the Lease"),
            Define("bind-address", "BIND_ADDRESS", "IP address /metrics and the probes listen on (default 0.0.0.0: every interface)"),
            Define("metrics-port", "METRICS_PORT", "port of /metrics (default 8080)"),
            Define("health-probe-port", "HEALTH_PROBE_PORT", "port of /healthz and /readyz (default 8081)"),
            Define("kubeconfig", "KUBECONFIG", "kubeconfig file, to run outside the cluster"),
            Define("aws-endpoint", "AWS_ENDPOINT_URL", "AWS endpoint override (an emulator)"),
            Define("prices", "PRICES_FILE", "on-demand price table CSV (default: the bundled us-east-1 prices)"),
            Define("gpu-operator-namespace", "GPU_OPERATOR_NAMESPACE", "namespace of the GPU Operator's ConfigMaps (default gpu-operator)"),
            Define("mig-config-map", "MIG_CONFIG_MAP", "the MIG manager's ConfigMap, the chart's migManager.config.name (default default-mig-parted-config)"),
            Define("device-plugin-config-map", "DEVICE_PLUGIN_CONFIG_MAP", "the device plugin's ConfigMap, the chart's devicePlugin.config.name (default none)"),
            Define("device-plugin-default-config", "DEVICE_PLUGIN_DEFAULT_CONFIG", "the device plugin's default entry, the chart's devicePlugin.config.default (default none)"),
            Define("mig-strategy", "MIG_STRATEGY", "none, single or mixed: the chart's mig.strategy (default single)"),
        };
        var command = new Command("run", "Run the autoscaler against the cluster (the container's entry point).");
        foreach (var setting in settings)
        {
            command.Options.Add(setting.Option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = settings.ToDictionary(s => s.Flag, s => parse.GetValue(s.Option), StringComparer.Ordinal);
            var (run, problems) = Read(values);
            problems = [.. problems, .. run.Validate(File.Exists)];
            if (problems.Count > 0)
            {
                await error.WriteLineAsync("run: invalid configuration:").ConfigureAwait(false);
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync($"  {problem}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var (configuration, unusable) = AutoscalerService.ClientConfiguration(run);
            if (configuration is null)
            {
                await error.WriteLineAsync($"run: cannot reach the cluster: {unusable}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await AutoscalerService.RunAsync(run, configuration, cancellationToken).ConfigureAwait(false) == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }

    /// <summary>The settings from flag values (absent ones keep their defaults), and the values that do not parse.</summary>
    internal static (RunSettings Settings, IReadOnlyList<string> Problems) Read(IReadOnlyDictionary<string, string?> values)
    {
        var problems = new List<string>();
        string? Text(string flag) => values.GetValueOrDefault(flag) is { Length: > 0 } text ? text.Trim() : null;
        int? Port(string flag, string variable)
        {
            if (Text(flag) is not { } text)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            problems.Add($"{variable} (--{flag}): \"{text}\" is not a port number");
            return null;
        }

        bool? leaderElect = null;
        if (Text("leader-elect") is { } elect)
        {
            if (bool.TryParse(elect, out var parsed))
            {
                leaderElect = parsed;
            }
            else
            {
                problems.Add($"LEADER_ELECT (--leader-elect): \"{elect}\" is not true or false");
            }
        }

        var defaults = new RunSettings();
        var settings = defaults with
        {
            ClusterName = Text("cluster-name") ?? defaults.ClusterName,
            Region = Text("region") ?? defaults.Region,
            ClusterEndpoint = Text("cluster-endpoint") ?? defaults.ClusterEndpoint,
            ClusterCaFile = Text("cluster-ca-file") ?? defaults.ClusterCaFile,
            ServiceCidr = Text("service-cidr") ?? defaults.ServiceCidr,
            InterruptionQueue = Text("interruption-queue"),
            LogLevel = Text("log-level") ?? defaults.LogLevel,
            LeaderElection = leaderElect ?? defaults.LeaderElection,
            LeaseName = Text("leader-election-lease") ?? defaults.LeaseName,
            PodNamespace = Text("pod-namespace"),
            PodName = Text("pod-name"),
            BindAddress = Text("bind-address") ?? defaults.BindAddress,
            MetricsPort = Port("metrics-port", "METRICS_PORT") ?? defaults.MetricsPort,
            HealthPort = Port("health-probe-port", "HEALTH_PROBE_PORT") ?? defaults.HealthPort,
            Kubeconfig = Text("kubeconfig"),
            AwsEndpoint = Text("aws-endpoint"),
            PricesFile = Text("prices"),
            GpuOperatorNamespace = Text("gpu-operator-namespace") ?? defaults.GpuOperatorNamespace,
            MigConfigMap = Text("mig-config-map") ?? defaults.MigConfigMap,
            DevicePluginConfigMap = Text("device-plugin-config-map"),
            DevicePluginDefaultConfig = Text("device-plugin-default-config"),
            MigStrategy = Text("mig-strategy") ?? defaults.MigStrategy,
        };
        return (settings, problems);
    }
}
