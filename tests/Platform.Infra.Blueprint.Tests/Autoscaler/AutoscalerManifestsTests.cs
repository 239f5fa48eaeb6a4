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
