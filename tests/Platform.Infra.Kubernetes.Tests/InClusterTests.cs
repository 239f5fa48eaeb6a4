using System.Collections.Immutable;
using Platform.Infra.Blueprint;
using Platform.Infra.Blueprint.Keda;
using Platform.Infra.Blueprint.Ordering;
using Platform.Infra.Blueprint.Settings;
using Platform.Infra.TestKit;
using Pulumi;
using Pulumi.Testing;

namespace Platform.Infra.Kubernetes.Tests;

public sealed class InClusterTests
{
    private const string Endpoint = "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com";

    private static StackBlueprint Blueprint(string stack)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var config = StackConfigFile.Parse(File.ReadAllText(Path.Combine(root, $"Pulumi.{stack}.yaml")));
        return StackBlueprint.Create(SettingsReader.Read(stack, StackConfigFile.Lookup(config)));
    }

    private static async Task<KubernetesMocks> DeployAsync(string stack, Action<InClusterComponents>? extra = null) =>
        (await DeployWithGraphAsync(stack, extra)).Mocks;

    private static async Task<(KubernetesMocks Mocks, ResourceGraph Graph)> DeployWithGraphAsync(string stack, Action<InClusterComponents>? extra = null)
    {
        var mocks = new KubernetesMocks();
        var blueprint = Blueprint(stack);
        var capture = new ResourceGraphCapture();
        ResourceGraph? graph = null;
        await Deployment.TestAsync(mocks, new TestOptions { StackName = stack, ProjectName = "gpu-platform", IsPreview = true }, async () =>
        {
            var (provider, stages) = CloudLayerStandIn(capture);
            var components = InCluster.Deploy(blueprint, provider, new ClusterCoordinates(Endpoint, "172.20.0.0/16"), stages, capture.Options);
            extra?.Invoke(components);
            graph = await capture.ResolveAsync();
        });
        return (mocks, graph!);
    }

    /// <summary>The provider and one stand-in component per stage of the cloud layer, which this layer waits for.</summary>
    private static (Pulumi.Kubernetes.Provider Provider, StagedResources Stages) CloudLayerStandIn(ResourceGraphCapture capture)
    {
        var stages = new StagedResources();
        foreach (var stage in new[] { Stage.Network, Stage.InterruptionQueue, Stage.Iam, Stage.ControlPlane, Stage.SystemNodes, Stage.PodIdentityAgent,
                     Stage.CoreDns, Stage.EbsCsiDriver, Stage.AutoscalerIdentity, Stage.ClusterSecurityGroupTag })
        {
            stages.Add(stage, new ComponentResource(KubernetesMocks.StandInType, stage.ToString(), capture.Options));
        }

        var provider = new Pulumi.Kubernetes.Provider("k8s", new Pulumi.Kubernetes.ProviderArgs { KubeConfig = "{}" },
            new CustomResourceOptions { DependsOn = [.. stages.DependenciesOf(Stage.KubernetesProvider)], ResourceTransformations = { capture.Transformation } });
        stages.Add(Stage.KubernetesProvider, provider);
        return (provider, stages);
    }

    [Fact]
    public async Task Deploy_Prod_NodePoolsAreCustomResourcesWithTheBlueprintsSpecs()
    {
        var mocks = await DeployAsync("prod");

        var pools = mocks.OfType("kubernetes:karpenter.sh/v1:NodePool").ToDictionary(p => p.Name!);
        Assert.Equal(
            ["nodepool-cpu-system", "nodepool-gpu-inference", "nodepool-gpu-inference-mig", "nodepool-gpu-inference-shared", "nodepool-gpu-tier1-g5-spot",
                "nodepool-gpu-tier2-g4dn-spot", "nodepool-gpu-tier3-g5-ondemand", "nodepool-gpu-training"],
            pools.Keys.Order(StringComparer.Ordinal));
        var tier1 = pools["nodepool-gpu-tier1-g5-spot"].Inputs;
        Assert.Equal("karpenter.sh/v1", tier1["apiVersion"]);
        var spec = (ImmutableDictionary<string, object>)tier1["spec"];
        Assert.Equal(100.0, Convert.ToDouble(spec["weight"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, mocks.OfType("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").Count());
    }

    [Fact]
    public async Task Deploy_NodePools_AreDeletedInTheForegroundWithTimeForTheirNodesToTerminate()
    {
        var (mocks, graph) = await DeployWithGraphAsync("prod");

        var pools = graph.OfType("kubernetes:karpenter.sh/v1:NodePool").ToList();
        Assert.Equal(8, pools.Count);
        foreach (var pool in pools)
        {
            var metadata = (ImmutableDictionary<string, object>)mocks.Inputs(pool.Type, pool.Name)["metadata"];
            var annotations = (ImmutableDictionary<string, object>)metadata["annotations"];
            Assert.Equal("foreground", annotations["pulumi.com/deletionPropagationPolicy"]);
            Assert.Equal(TimeSpan.FromMinutes(30), pool.Timeouts?.Delete);
        }
    }

    [Fact]
    public async Task Deploy_Autoscaler_DeploymentIsHardenedAndSpread()
    {
        var mocks = await DeployAsync("prod");

        var deployment = mocks.Inputs("kubernetes:apps/v1:Deployment", "platform-autoscaler");
        var spec = (ImmutableDictionary<string, object>)deployment["spec"];
        Assert.Equal(2.0, Convert.ToDouble(spec["replicas"], System.Globalization.CultureInfo.InvariantCulture));
        var pod = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)spec["template"])["spec"];
        var container = (ImmutableDictionary<string, object>)((ImmutableArray<object>)pod["containers"])[0];
        var security = (ImmutableDictionary<string, object>)container["securityContext"];
        Assert.Equal(true, security["readOnlyRootFilesystem"]);
        Assert.Equal(true, ((ImmutableDictionary<string, object>)pod["securityContext"])["runAsNonRoot"]);
        Assert.Equal(2, ((ImmutableArray<object>)pod["topologySpreadConstraints"]).Length);
        Assert.Single(mocks.OfType("kubernetes:policy/v1:PodDisruptionBudget"));
        Assert.Contains(mocks.OfType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor"), s => s.Name == "platform-autoscaler-metrics");
    }

    [Fact]
    public async Task Deploy_Autoscaler_ClusterConfigMapCarriesTheEndpointAndServiceCidrTheDeploymentReads()
    {
        var mocks = await DeployAsync("prod");

        var configMap = mocks.Inputs("kubernetes:core/v1:ConfigMap", "platform-autoscaler-cluster");
        Assert.Equal("platform-autoscaler", ((ImmutableDictionary<string, object>)configMap["metadata"])["namespace"]);
        var data = (ImmutableDictionary<string, object>)configMap["data"];
        Assert.Equal(Endpoint, data["endpoint"]);
        Assert.Equal("172.20.0.0/16", data["serviceCidr"]);

        var deployment = mocks.Inputs("kubernetes:apps/v1:Deployment", "platform-autoscaler");
        var pod = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)deployment["spec"])["template"])["spec"];
        var env = ((ImmutableArray<object>)((ImmutableDictionary<string, object>)((ImmutableArray<object>)pod["containers"])[0])["env"])
            .Cast<ImmutableDictionary<string, object>>().ToDictionary(e => (string)e["name"]);
        var endpoint = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)env["CLUSTER_ENDPOINT"]["valueFrom"])["configMapKeyRef"];
        Assert.Equal("platform-autoscaler-cluster", endpoint["name"]);
        Assert.Equal("endpoint", endpoint["key"]);
        var serviceCidr = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)env["CLUSTER_SERVICE_CIDR"]["valueFrom"])["configMapKeyRef"];
        Assert.Equal("serviceCidr", serviceCidr["key"]);
    }

    [Fact]
    public async Task Deploy_Autoscaler_EndpointTheAutoscalerWouldRefuse_FailsTheDeployment()
    {
        var blueprint = Blueprint("dev");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(new KubernetesMocks(),
            new TestOptions { StackName = "dev", ProjectName = "gpu-platform", IsPreview = true }, () =>
            {
                var (provider, stages) = CloudLayerStandIn(new ResourceGraphCapture());
                InCluster.Deploy(blueprint, provider, new ClusterCoordinates("http://api.internal", "172.20.0.0/16"), stages);
            }));

        Assert.Contains("data.endpoint: \"http://api.internal\" is not an https URL", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Crds_AreAppliedFromTheGeneratedYaml()
    {
        var mocks = await DeployAsync("dev");

        var yaml = (string)Assert.Single(mocks.OfType("kubernetes:yaml/v2:ConfigGroup")).Inputs["yaml"];
        Assert.Contains("name: nodepools.karpenter.sh", yaml, StringComparison.Ordinal);
        Assert.Contains("name: ec2nodeclasses.karpenter.k8s.aws", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_GpuOperator_HelmValuesFromTheBlueprint()
    {
        var mocks = await DeployAsync("prod");

        var release = mocks.Inputs("kubernetes:helm.sh/v3:Release", "gpu-operator");
        Assert.Equal("v25.3.2", release["version"]);
        var values = (ImmutableDictionary<string, object>)release["values"];
        Assert.Equal(true, ((ImmutableDictionary<string, object>)values["migManager"])["enabled"]);
        Assert.Equal(false, ((ImmutableDictionary<string, object>)values["driver"])["enabled"]);
        Assert.Equal("https://helm.ngc.nvidia.com/nvidia", ((ImmutableDictionary<string, object>)release["repositoryOpts"])["repo"]);
    }

    [Fact]
    public async Task Deploy_Observability_RulesAndDashboards()
    {
        var mocks = await DeployAsync("dev");

        Assert.Equal(["gpu-cost-rules", "karpenter-gpu-alerts"], mocks.OfType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").Select(r => r.Name!).Order(StringComparer.Ordinal));
        Assert.Equal(3, mocks.OfType("kubernetes:core/v1:ConfigMap").Count(c => c.Name!.StartsWith("dashboard-", StringComparison.Ordinal)));
        Assert.Contains(mocks.OfType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor"), s => s.Name == "dcgm-exporter");
    }

    [Fact]
    public async Task Keda_ScaledObject_UsesTheSeedPattern()
    {
        var mocks = await DeployAsync("dev", c => c.Keda.ScaledObject(new ScaledObjectSpec(
            "model-a-gpu-scaler", "inference", "model-a-serving", "avg(DCGM_FI_DEV_GPU_UTIL{pod=~\"model-a-.*\"})", 70, 50, 2, 10)));

        var scaled = Assert.Single(mocks.OfType("kubernetes:keda.sh/v1alpha1:ScaledObject"));
        var spec = (ImmutableDictionary<string, object>)scaled.Inputs["spec"];
        Assert.Equal("model-a-serving", ((ImmutableDictionary<string, object>)spec["scaleTargetRef"])["name"]);
    }

    [Fact]
    public void KubernetesArgs_UnknownField_Throws()
    {
        var model = new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "x" }, Spec = new k8s.Models.V1NamespaceSpec { Finalizers = ["a"] } };

        Assert.NotNull(KubernetesArgs.From<Pulumi.Kubernetes.Types.Inputs.Core.V1.NamespaceArgs>(model).Spec);
        var error = Assert.Throws<ArgumentException>(() => KubernetesArgs.From<Pulumi.Kubernetes.Types.Inputs.Core.V1.ServiceAccountArgs>(model));
        Assert.Contains("ServiceAccountArgs.spec", error.Message, StringComparison.Ordinal);
    }
}
