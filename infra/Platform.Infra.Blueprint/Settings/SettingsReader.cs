using System.Text.RegularExpressions;
using Cronos;
using k8s.Models;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Network;

namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// Reads and validates one stack's settings from Pulumi config (<c>aws:region</c> and the <c>gpu-platform:*</c>
/// keys), collecting every error before throwing one <see cref="SettingsException"/>.
/// </summary>
public static partial class SettingsReader
{
    /// <summary>The Pulumi project name, which is also the config namespace of the stack's own keys.</summary>
    public const string Project = "gpu-platform";

    /// <summary>Reads the settings; <paramref name="lookup"/> maps <c>namespace:key</c> to Pulumi's raw value.</summary>
    /// <exception cref="SettingsException">Any value is missing or invalid; the message lists all of them.</exception>
    public static StackSettings Read(string stack, Func<string, string?> lookup)
    {
        var errors = new List<string>();
        var root = new Root(lookup, errors);

        if (!StackName().IsMatch(stack))
        {
            errors.Add($"stack name '{stack}': use lower-case letters, digits and '-'");
        }

        var region = root.Scalar("aws:region", null);
        var clusterName = root.Scalar($"{Project}:clusterName", $"gpu-{stack}");
        var kubernetesVersion = root.Scalar($"{Project}:kubernetesVersion", null);

        var networkSection = root.Section("network");
        var network = new NetworkSettings(
            networkSection.Int("availabilityZones"),
            networkSection.String("vpcCidr"),
            ParseNat(networkSection));
        networkSection.RejectUnknownKeys();

        var systemSection = root.Section("systemNodes");
        var system = new SystemNodeGroupSettings(
            systemSection.String("instanceType"),
            systemSection.Int("minSize"),
            systemSection.Int("desiredSize"),
            systemSection.Int("maxSize"),
            systemSection.Int("diskSizeGiB", 50));
        systemSection.RejectUnknownKeys();

        var chartsSection = root.Section("charts");
        var charts = new ChartVersions(
            chartsSection.String("gpuOperator"), chartsSection.String("keda"), chartsSection.String("kubePrometheusStack"));
        chartsSection.RejectUnknownKeys();

        var gpuSection = root.Section("gpu");
        foreach (var removed in new[] { "driverEnabled", "driverVersion" })
        {
            gpuSection.Removed(removed, "GPU nodes boot the EKS AL2023 NVIDIA AMI, whose driver and container toolkit the GPU Operator leaves alone; remove the key");
        }

        var gpu = new GpuOperatorSettings(
            gpuSection.Bool("migManager", false),
            gpuSection.String("migStrategy", "single"));
        gpuSection.RejectUnknownKeys();

        var autoscalerSection = root.Section("autoscaler");
        var autoscaler = new AutoscalerSettings(
            autoscalerSection.String("image"),
            autoscalerSection.Int("replicas", 2),
            autoscalerSection.String("logLevel", "info"));
        autoscalerSection.RejectUnknownKeys();

        var poolsSection = root.Section("nodePools");
        var limitsSection = poolsSection.Section("limits");
        var pools = new NodePoolSettings(
            poolsSection.String("trainingCapacityType", "on-demand"),
            new NodePoolLimits(
                limitsSection.Int("tier1SpotGpus"),
                limitsSection.Int("tier2SpotGpus"),
                limitsSection.Int("tier3OnDemandGpus"),
                limitsSection.Int("trainingGpus"),
                limitsSection.Int("inferenceGpus"),
                limitsSection.Int("cpuCores"),
                limitsSection.String("cpuMemory"),
                limitsSection.Int("inferenceMigSlices", 56),
                limitsSection.Int("sharedGpuReplicas", 16)));
        limitsSection.RejectUnknownKeys();
        poolsSection.RejectUnknownKeys();

        var budgetSection = root.Section("budgets");
        var hoursSection = budgetSection.Section("businessHours", required: false);
        var budgets = new BudgetSettings(
            budgetSection.String("defaultNodes", "10%"),
            hoursSection.Exists ? new BusinessHours(hoursSection.String("schedule"), hoursSection.String("duration")) : null,
            budgetSection.Int("hourlyGpuCostAlertUsd", 100));
        hoursSection.RejectUnknownKeys();
        budgetSection.RejectUnknownKeys();

        var settings = new StackSettings(stack, clusterName ?? "", region ?? "", kubernetesVersion ?? "", network, system,
            charts, gpu, autoscaler, pools, budgets);
        Validate(settings, errors);
        if (errors.Count > 0)
        {
            throw new SettingsException(stack, errors);
        }

        return settings;
    }

    private static NatGatewayMode ParseNat(ConfigSection network)
    {
        var text = network.String("natGateways", "single");
        switch (text)
        {
            case "single":
                return NatGatewayMode.Single;
            case "perAz":
                return NatGatewayMode.PerAz;
            default:
                network.Error("natGateways", $"'{text}' is not one of: single, perAz");
                return NatGatewayMode.Single;
        }
    }

    private static void Validate(StackSettings s, List<string> errors)
    {
        void Check(bool ok, string key, string reason)
        {
            if (!ok)
            {
                errors.Add($"{key}: {reason}");
            }
        }

        var p = Project;
        Check(s.Region.Length == 0 || Region().IsMatch(s.Region), "aws:region", $"'{s.Region}' is not an AWS region name such as us-east-1");
        // The node role is named KarpenterNodeRole-<cluster> and IAM role names stop at 64 characters.
        Check(ClusterName().IsMatch(s.ClusterName), $"{p}:clusterName",
            $"'{s.ClusterName}': 1 to 40 characters, lower-case letters, digits and '-', starting with a letter");
        if (s.KubernetesVersion.Length > 0)
        {
            var version = KubernetesVersion().Match(s.KubernetesVersion);
            Check(version.Success && int.Parse(version.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 29,
                $"{p}:kubernetesVersion", $"'{s.KubernetesVersion}': use an EKS version 1.29 or later, as \"1.33\"");
        }

        var n = s.Network;
        Check(n.AvailabilityZoneCount >= 2, $"{p}:network.availabilityZones",
            $"{n.AvailabilityZoneCount} is too few: EKS needs subnets in at least 2 availability zones");
        Check(n.AvailabilityZoneCount <= 6, $"{p}:network.availabilityZones", $"{n.AvailabilityZoneCount} is too many: at most 6");
        if (n.VpcCidr.Length > 0)
        {
            if (!Ipv4Cidr.TryParse(n.VpcCidr, out var cidr, out var cidrError))
            {
                errors.Add($"{p}:network.vpcCidr: {cidrError}");
            }
            else
            {
                Check(cidr.Prefix is >= NetworkPlan.MinVpcPrefix and <= NetworkPlan.MaxVpcPrefix, $"{p}:network.vpcCidr",
                    $"'{n.VpcCidr}': the prefix must be between /{NetworkPlan.MinVpcPrefix} and /{NetworkPlan.MaxVpcPrefix} (pods take VPC addresses)");
                Check(NetworkPlan.PrivateRanges.Any(cidr.IsWithin), $"{p}:network.vpcCidr",
                    $"'{n.VpcCidr}' is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10)");
            }
        }

        var sys = s.SystemNodes;
        var sk = $"{p}:systemNodes";
        Check(sys.InstanceType.Length == 0 || InstanceTypes.IsKnown(sys.InstanceType), $"{sk}.instanceType",
            $"unknown instance type '{sys.InstanceType}'; use <family>.<size> with a family among {InstanceTypes.KnownFamilies}");
        Check(sys.MinSize >= 1, $"{sk}.minSize", $"{sys.MinSize}: the system group needs at least 1 node (it runs the autoscaler)");
        Check(sys.MaxSize >= sys.MinSize, $"{sk}.maxSize", $"{sys.MaxSize} is below minSize {sys.MinSize}");
        Check(sys.DesiredSize >= sys.MinSize && sys.DesiredSize <= sys.MaxSize, $"{sk}.desiredSize",
            $"{sys.DesiredSize} must lie between minSize {sys.MinSize} and maxSize {sys.MaxSize}");
        Check(sys.DiskSizeGiB is >= 20 and <= 16384, $"{sk}.diskSizeGiB", $"{sys.DiskSizeGiB}: between 20 and 16384 GiB");

        foreach (var (name, version, keys) in new[]
                 {
                     ("gpuOperator", s.Charts.GpuOperator, ChartValueKeys.GpuOperator), ("keda", s.Charts.Keda, ChartValueKeys.Keda),
                     ("kubePrometheusStack", s.Charts.KubePrometheusStack, ChartValueKeys.KubePrometheusStack),
                 })
        {
            Check(version.Length == 0 || ChartVersion().IsMatch(version), $"{p}:charts.{name}", $"'{version}' is not a chart version such as 1.2.3 or v1.2.3");
            Check(version.Length == 0 || !ChartVersion().IsMatch(version) || version == keys.CheckedAgainst, $"{p}:charts.{name}",
                $"'{version}': the values the stack sets were checked against {keys.Chart} {keys.CheckedAgainst} only; check them against this version's values.yaml and update ChartValueKeys (README, 'Chart values')");
        }

        Check(s.Gpu.MigStrategy is "none" or "single" or "mixed", $"{p}:gpu.migStrategy", $"'{s.Gpu.MigStrategy}' is not one of: none, single, mixed");
        Check(!s.Gpu.MigManager || s.Gpu.MigStrategy != "none", $"{p}:gpu.migStrategy", "the MIG manager needs migStrategy single or mixed");

        var a = s.Autoscaler;
        Check(a.Image.Length == 0 || ImageReference().IsMatch(a.Image), $"{p}:autoscaler.image",
            $"'{a.Image}' must name a tag or a sha256 digest (repository:tag or repository@sha256:...)");
        Check(!a.Image.EndsWith(":latest", StringComparison.Ordinal), $"{p}:autoscaler.image", "':latest' is not reproducible; pin a version or digest");
        Check(a.Replicas is >= 1 and <= 10, $"{p}:autoscaler.replicas", $"{a.Replicas}: between 1 and 10 (2 for leader-elected high availability)");
        Check(a.LogLevel is "debug" or "info" or "warn" or "error", $"{p}:autoscaler.logLevel", $"'{a.LogLevel}' is not one of: debug, info, warn, error");

        var pools = s.NodePools;
        Check(pools.TrainingCapacityType is "on-demand" or "spot", $"{p}:nodePools.trainingCapacityType",
            $"'{pools.TrainingCapacityType}' is not one of: on-demand, spot");
        var l = pools.Limits;
        foreach (var (name, value) in new[]
                 {
                     ("tier1SpotGpus", l.Tier1SpotGpus), ("tier2SpotGpus", l.Tier2SpotGpus), ("tier3OnDemandGpus", l.Tier3OnDemandGpus),
                     ("trainingGpus", l.TrainingGpus), ("inferenceGpus", l.InferenceGpus), ("cpuCores", l.CpuCores),
                     ("inferenceMigSlices", l.InferenceMigSlices), ("sharedGpuReplicas", l.SharedGpuReplicas),
                 })
        {
            Check(value >= 0, $"{p}:nodePools.limits.{name}", $"{value} is below zero; use 0 to stop a pool from buying");
        }

        if (l.CpuMemory.Length > 0)
        {
            Check(IsQuantity(l.CpuMemory, out var memory) && memory >= 0, $"{p}:nodePools.limits.cpuMemory",
                $"'{l.CpuMemory}' is not a non-negative memory quantity such as 256Gi");
        }

        var b = s.Budgets;
        Check(BudgetNodes().IsMatch(b.DefaultNodes), $"{p}:budgets.defaultNodes", $"'{b.DefaultNodes}' is not a node count or percentage such as 1 or 10%");
        Check(b.HourlyGpuCostAlertUsd >= 0, $"{p}:budgets.hourlyGpuCostAlertUsd", $"{b.HourlyGpuCostAlertUsd} is below zero");
        if (b.BusinessHours is { } hours)
        {
            Check(IsCron(hours.Schedule), $"{p}:budgets.businessHours.schedule", $"'{hours.Schedule}' is not a 5-field cron schedule such as '0 9 * * MON-FRI'");
            Check(Duration().IsMatch(hours.Duration), $"{p}:budgets.businessHours.duration", $"'{hours.Duration}' is not a duration in hours and minutes such as 10h or 9h30m");
        }
    }

    private static bool IsQuantity(string text, out decimal value)
    {
        value = 0;
        try
        {
            value = new ResourceQuantity(text).ToDecimal();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsCron(string schedule)
    {
        try
        {
            CronExpression.Parse(schedule);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex StackName();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")]
    private static partial Regex Region();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ClusterName();

    [GeneratedRegex(@"^1\.([0-9]{2})$")]
    private static partial Regex KubernetesVersion();

    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$")]
    private static partial Regex ChartVersion();

    [GeneratedRegex(@"^[a-z0-9]+([._\-/:][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$")]
    private static partial Regex ImageReference();

    [GeneratedRegex("^((100|[0-9]{1,2})%|[0-9]+)$")]
    private static partial Regex BudgetNodes();

    [GeneratedRegex("^([0-9]+h)?([0-9]+m)?$(?<=.)")]
    private static partial Regex Duration();

    /// <summary>The top-level keys: scalars, and structured values parsed from Pulumi's JSON.</summary>
    private sealed class Root(Func<string, string?> lookup, List<string> errors)
    {
        public string? Scalar(string key, string? fallback)
        {
            var value = lookup(key);
            if (string.IsNullOrWhiteSpace(value))
            {
                if (fallback is null)
                {
                    errors.Add($"{key}: required");
                }

                return fallback;
            }

            return value;
        }

        public ConfigSection Section(string name)
        {
            var key = $"{Project}:{name}";
            var raw = lookup(key);
            if (raw is null)
            {
                errors.Add($"{key}: required");
                return new ConfigSection(key, null, errors);
            }

            System.Text.Json.JsonElement? value;
            try
            {
                value = StackConfigFile.ParseValue(raw);
            }
            catch (System.Text.Json.JsonException e)
            {
                errors.Add($"{key}: not valid JSON ({e.Message})");
                return new ConfigSection(key, null, errors);
            }

            if (value is not { ValueKind: System.Text.Json.JsonValueKind.Object })
            {
                errors.Add($"{key}: expected an object");
                return new ConfigSection(key, null, errors);
            }

            return new ConfigSection(key, value, errors);
        }
    }
}
