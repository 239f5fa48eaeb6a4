using Platform.Autoscaler.Cli;
using Platform.Autoscaler.Service;

namespace Platform.Autoscaler.Tests.Service;

public sealed class RunSettingsTests
{
    private static readonly Dictionary<string, string?> Deployment = new(StringComparer.Ordinal)
    {
        ["cluster-name"] = "gpu-prod",
        ["region"] = "us-east-1",
        ["cluster-endpoint"] = "https://ABC.gr7.us-east-1.eks.amazonaws.com",
        ["cluster-ca-file"] = "/ca.crt",
        ["interruption-queue"] = "gpu-prod-interruption",
        ["log-level"] = "debug",
        ["leader-election-lease"] = "platform-autoscaler",
        ["pod-namespace"] = "platform-system",
        ["pod-name"] = "platform-autoscaler-7d9f-abcde",
    };

    private static bool OnlyCa(string path) => path == "/ca.crt";

    [Fact]
    public void Read_TheStacksEnvironment_IsValidAndCarriesEveryValue()
    {
        var (settings, problems) = RunCommand.Read(Deployment);
        Assert.Empty(problems);
        Assert.Empty(settings.Validate(OnlyCa));
        Assert.Equal(("gpu-prod", "us-east-1", "gpu-prod-interruption", "platform-system"), (settings.ClusterName, settings.Region, settings.InterruptionQueue, settings.PodNamespace));
        Assert.Equal("platform-autoscaler-7d9f-abcde", settings.Identity);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, settings.MinimumLevel);
        Assert.Equal((8080, 8081, true), (settings.MetricsPort, settings.HealthPort, settings.LeaderElection));
        Assert.Equal("0.0.0.0", settings.BindAddress);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::")]
    [InlineData("10.0.3.17")]
    public void Read_BindAddress_IsTakenFromTheFlagOrVariable(string address)
    {
        var (settings, problems) = RunCommand.Read(new Dictionary<string, string?>(Deployment, StringComparer.Ordinal) { ["bind-address"] = address });
        Assert.Empty(problems);
        Assert.Empty(settings.Validate(OnlyCa));
        Assert.Equal(address, settings.BindAddress);
    }

    [Fact]
    public void Validate_BindAddressNotAnIpAddress_IsNamed()
    {
        var (settings, _) = RunCommand.Read(new Dictionary<string, string?>(Deployment, StringComparer.Ordinal) { ["bind-address"] = "localhost" });
        Assert.Equal(
            ["BIND_ADDRESS (--bind-address): \"localhost\" is not an IP address (0.0.0.0 for every interface, 127.0.0.1 for this host only, :: for IPv6)"],
            settings.Validate(OnlyCa));
    }

    [Fact]
    public async Task Run_BindAddressFromTheEnvironment_IsReadLikeTheOtherSettings()
    {
        var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["BIND_ADDRESS"] = "not-an-ip", ["AWS_REGION"] = "us-east-1" };
        var code = await CommandLine.RunAsync(["run"], new StringWriter(), error, CancellationToken.None, name => environment.GetValueOrDefault(name));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("BIND_ADDRESS (--bind-address): \"not-an-ip\" is not an IP address", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryProblemAtOnce_EachNamingVariableAndFlag()
    {
        var values = new Dictionary<string, string?>(Deployment, StringComparer.Ordinal)
        {
            ["cluster-name"] = null,
            ["region"] = "us-mars-1",
            ["cluster-endpoint"] = "http://plain.example",
            ["log-level"] = "verbose",
            ["pod-namespace"] = "",
            ["metrics-port"] = "8081",
            ["service-cidr"] = "10.100.0.0/33",
        };
        var (settings, problems) = RunCommand.Read(values);
        Assert.Empty(problems);
        Assert.Equal(
        [
            "CLUSTER_NAME (--cluster-name): required",
            "AWS_REGION (--region): \"us-mars-1\" is not an AWS region",
            "CLUSTER_ENDPOINT (--cluster-endpoint): \"http://plain.example\" is not an https URL",
            "CLUSTER_SERVICE_CIDR (--service-cidr): \"10.100.0.0/33\" is not a CIDR",
            "LOG_LEVEL (--log-level): \"verbose\" is not one of debug, info, warn, error",
            "POD_NAMESPACE (--pod-namespace): required for leader election (the Lease's namespace); set it from the downward API",
            "HEALTH_PROBE_PORT (--health-probe-port): 8081 is the metrics port too; they must differ",
        ], settings.Validate(OnlyCa));
    }

    [Fact]
    public void Read_UnparsableNumbersAndBooleans_AreNamedNotDefaulted()
    {
        var values = new Dictionary<string, string?>(Deployment, StringComparer.Ordinal) { ["metrics-port"] = "80a", ["leader-elect"] = "yes" };
        var (_, problems) = RunCommand.Read(values);
        Assert.Equal(["LEADER_ELECT (--leader-elect): \"yes\" is not true or false", "METRICS_PORT (--metrics-port): \"80a\" is not a port number"], problems);
    }

    [Fact]
    public void Validate_WithoutLeaderElection_NeedsNoNamespace_ButMissingFilesAreNamed()
    {
        var values = new Dictionary<string, string?>(Deployment, StringComparer.Ordinal)
        {
            ["leader-elect"] = "false", ["pod-namespace"] = null, ["kubeconfig"] = "/nope/config", ["cluster-ca-file"] = "/nope/ca.crt",
        };
        var (settings, _) = RunCommand.Read(values);
        Assert.Equal(
            ["CLUSTER_CA_FILE (--cluster-ca-file): /nope/ca.crt: no such file (the cluster CA bundle nodes trust)", "KUBECONFIG (--kubeconfig): /nope/config: no such file"],
            settings.Validate(OnlyCa));
    }

    [Fact]
    public async Task Run_InvalidEnvironment_ExitsWithUsageAndPrintsEveryProblem()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(["run", "--region", "eu-west-1"], output, error, CancellationToken.None, _ => null);
        Assert.Equal(ExitCodes.Usage, code);
        var text = error.ToString();
        Assert.StartsWith("run: invalid configuration:", text, StringComparison.Ordinal);
        Assert.Contains("CLUSTER_NAME (--cluster-name): required", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_REGION", text, StringComparison.Ordinal);
    }
}
