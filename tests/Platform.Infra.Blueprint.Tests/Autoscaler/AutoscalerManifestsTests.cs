using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Autoscaler;

public sealed class AutoscalerManifestsTests
{
    private static readonly AutoscalerObjects Prod = AutoscalerManifests.Create(Stacks.Settings("prod"));

    [Fact]
    public void Deployment_TwoReplicasSpreadOverZonesAndHostsOnSystemNodes()
    {
        var spec = Prod.Deployment.Spec;

        Assert.Equal(2, spec.Replicas);
        Assert.Equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"], spec.Template.Spec.TopologySpreadConstraints.Select(t => t.TopologyKey));
        Assert.Equal(SystemNodes.LabelValue, spec.Template.Spec.NodeSelector[SystemNodes.LabelKey]);
    }

    [Fact]
    public void Deployment_NonRootReadOnlyRootFsWithProbes()
    {
        var pod = Prod.Deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
    }

    [Fact]
    public void Deployment_EndpointAndServiceCidr_ComeFromTheClusterConfigMap()
    {
        var env = Assert.Single(Prod.Deployment.Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);

        Assert.Equal(ClusterConfig.Name, Prod.ClusterConfig.Metadata.Name);
        Assert.Equal(AutoscalerManifests.Namespace, Prod.ClusterConfig.Metadata.NamespaceProperty);
        Assert.Null(Prod.ClusterConfig.Data);
        foreach (var (variable, key) in new[] { ("CLUSTER_ENDPOINT", ClusterConfig.EndpointKey), ("CLUSTER_SERVICE_CIDR", ClusterConfig.ServiceCidrKey) })
        {
            var reference = env[variable].ValueFrom.ConfigMapKeyRef;
            Assert.Equal(ClusterConfig.Name, reference.Name);
            Assert.Equal(key, reference.Key);
            Assert.NotEqual(true, reference.Optional);
        }

        // The CA is the service account's ca.crt, the autoscaler's default.
        Assert.DoesNotContain("CLUSTER_CA_FILE", env.Keys);
    }

    [Fact]
    public void Objects_ClusterConfigMap_IsAppliedBeforeTheDeployment()
    {
        var kinds = Prod.Models.Select(m => m.Kind).ToList();

        Assert.True(kinds.IndexOf("ConfigMap") < kinds.IndexOf("Deployment"));
    }

    [Fact]
    public void ClusterConfigData_EksValues_KeyedAsTheDeploymentReadsThem()
    {
        var data = ClusterConfig.Data("https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com", "172.20.0.0/16");

        Assert.Equal("https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com", data[ClusterConfig.EndpointKey]);
        Assert.Equal("172.20.0.0/16", data[ClusterConfig.ServiceCidrKey]);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void ClusterConfigData_NotHttpsAndNoCidr_NamesBothProblems()
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterConfig.Data("http://api.example", ""));

        Assert.Contains("ConfigMap platform-autoscaler/platform-autoscaler-cluster", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.endpoint: \"http://api.example\" is not an https URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.serviceCidr: \"\" is not a CIDR", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example")]
    [InlineData("")]
    public void ClusterConfigData_EndpointNotAnAbsoluteUrl_Throws(string endpoint) =>
        Assert.Throws<ArgumentException>(() => ClusterConfig.Data(endpoint, "10.100.0.0/16"));

    [Fact]
    public void Rbac_WritesOnlyWhatTheAutoscalerOwns()
    {
        var writes = Prod.ClusterRole.Rules
            .Where(r => r.Verbs.Any(v => v is "create" or "update" or "patch" or "delete"))
            .SelectMany(r => r.Resources).ToHashSet();

        Assert.Equal(
            new HashSet<string> { "nodeclaims", "nodepools", "nodepools/status", "nodeclaims/status", "ec2nodeclasses", "ec2nodeclasses/status", "nodes", "pods/eviction", "pods", "events" },
            writes);
        Assert.DoesNotContain(Prod.ClusterRole.Rules, r => r.Resources.Contains("*") || r.Verbs.Contains("*") || r.ApiGroups.Contains("*"));
        Assert.DoesNotContain(Prod.ClusterRole.Rules, r => r.Resources.Contains("secrets"));
        Assert.Equal([AutoscalerManifests.LeaderElectionLease], Prod.Role.Rules[1].ResourceNames);
    }

    [Fact]
    public void PdbServiceAndServiceMonitor_SelectTheDeploymentsPods()
    {
        var labels = Prod.Deployment.Spec.Template.Metadata.Labels;

        Assert.All(Prod.PodDisruptionBudget.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.All(Prod.Service.Spec.Selector, l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.Equal(AutoscalerManifests.MetricsPortName, Prod.ServiceMonitor.Spec.GetProperty("endpoints")[0].GetProperty("port").GetString());
    }
}
