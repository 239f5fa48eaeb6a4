using System.Collections.Immutable;
using Platform.Infra.Blueprint.Ordering;
using Platform.Infra.Blueprint.Settings;
using Platform.Infra.Kubernetes;
using Platform.Infra.TestKit;
using Pulumi;
using Pulumi.Testing;

namespace Platform.Infra.Tests;

/// <summary>
/// The order of creation and deletion, read from the options each resource was declared with (the mocks see no
/// dependencies) and scheduled as the engine schedules <c>pulumi destroy</c>.
/// </summary>
public sealed class StackOrderTests
{
    private const string NodeGroup = "eks:index:ManagedNodeGroup";
    private const string Addon = "aws:eks/addon:Addon";
    private const string Deployment = "kubernetes:apps/v1:Deployment";
    private const string HelmRelease = "kubernetes:helm.sh/v3:Release";

    private static async Task<(ResourceGraph Graph, StagedResources Stages, AwsMocks Mocks)> DeclareAsync(string stack)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var lookup = StackConfigFile.Lookup(new Dictionary<string, string>(StackConfigFile.Parse(File.ReadAllText(Path.Combine(root, $"Pulumi.{stack}.yaml")))));
        var mocks = new AwsMocks();
        var capture = new ResourceGraphCapture();
        ResourceGraph? graph = null;
        StagedResources? stages = null;
        await Pulumi.Deployment.TestAsync(mocks, new TestOptions { StackName = stack, ProjectName = "gpu-platform", IsPreview = false }, async () =>
        {
            var declared = await GpuPlatform.DeclareAsync(stack, lookup, capture.Options);
            stages = declared.Stages;
            graph = await capture.ResolveAsync();
            return declared.Outputs;
        });
        return (graph!, stages!, mocks);
    }

    [Fact]
    public async Task Up_CoreDns_IsAnAddonOfItsOwnThatWaitsForTheSystemNodes()
    {
        var (graph, _, mocks) = await DeclareAsync("prod");

        var options = (ImmutableDictionary<string, object>)Assert.Single(mocks.OfType("eks:index:Cluster")).Inputs["corednsAddonOptions"];
        Assert.Equal(false, options["enabled"]);
        var coreDns = graph.Single(Addon, "gpu-prod-coredns");
        Assert.Equal("coredns", mocks.Inputs(Addon, "gpu-prod-coredns")["addonName"]);
        Assert.Contains(graph.Single(NodeGroup, "gpu-prod-system").Resource, graph.DependenciesOf(coreDns.Resource));
    }

    [Fact]
    public async Task Up_AutoscalerDeployment_WaitsForItsPodIdentityAssociationAndTheAgent()
    {
        var (graph, _, _) = await DeclareAsync("prod");

        var deployment = graph.Single(Deployment, "platform-autoscaler").Resource;
        var dependencies = graph.DependenciesOf(deployment);
        Assert.Contains(graph.Single("aws:eks/podIdentityAssociation:PodIdentityAssociation", "gpu-prod-autoscaler").Resource, dependencies);
        Assert.Contains(graph.Single(Addon, "gpu-prod-eks-pod-identity-agent").Resource, dependencies);
    }

    [Fact]
    public async Task Up_AutoscalersGpuOperatorRole_IsInTheNamespaceTheReleaseCreatesAndTheDeploymentWaitsForIt()
    {
        var (graph, _, mocks) = await DeclareAsync("prod");

        var release = graph.Single(HelmRelease, "gpu-operator").Resource;
        var role = graph.Single("kubernetes:rbac.authorization.k8s.io/v1:Role", "platform-autoscaler-gpu-operator-configs");
        var binding = graph.Single("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "platform-autoscaler-gpu-operator-configs");
        Assert.Contains(release, graph.DependenciesOf(role.Resource));
        Assert.Contains(binding.Resource, graph.DependenciesOf(graph.Single(Deployment, "platform-autoscaler").Resource));
        var metadata = (ImmutableDictionary<string, object>)mocks.Inputs("kubernetes:rbac.authorization.k8s.io/v1:Role", "platform-autoscaler-gpu-operator-configs")["metadata"];
        Assert.Equal("gpu-operator", metadata["namespace"]);
    }

    [Fact]
    public async Task Up_HelmReleasesTheAutoscalerAndTheEbsCsiDriver_WaitForTheSystemNodes()
    {
        var (graph, _, _) = await DeclareAsync("dev");

        var nodes = graph.Single(NodeGroup, "gpu-dev-system").Resource;
        var waiting = graph.OfType(HelmRelease).Select(r => r.Name).ToList();
        Assert.Equal(["gpu-operator", "keda", "kube-prometheus-stack"], waiting.Order(StringComparer.Ordinal));
        foreach (var resource in graph.OfType(HelmRelease).Append(graph.Single(Deployment, "platform-autoscaler")).Append(graph.Single(Addon, "gpu-dev-aws-ebs-csi-driver")))
        {
            Assert.True(graph.DependenciesOf(resource.Resource).Contains(nodes), $"{resource} does not wait for the system node group");
        }
    }

    [Fact]
    public async Task Up_EveryStackOrderEdge_IsAnExplicitDependencyOfEachResourceOfTheLaterStage()
    {
        var (graph, stages, _) = await DeclareAsync("prod");

        Assert.DoesNotContain(Enum.GetValues<Stage>(), s => stages.Of(s).Count == 0);
        foreach (var edge in StackOrder.Edges)
        {
            foreach (var later in stages.Of(edge.Later))
            {
                var dependencies = graph.DependenciesOf(later);
                foreach (var earlier in stages.Of(edge.Earlier))
                {
                    Assert.True(dependencies.Contains(earlier), $"{graph.Get(later)} ({edge.Later}) does not depend on {graph.Get(earlier)} ({edge.Earlier}): {edge.Reason}");
                }
            }
        }
    }

    [Fact]
    public async Task Destroy_NodePoolsAndNodeClassesGoBeforeTheAutoscalerAndItsCrds()
    {
        var (graph, _, _) = await DeclareAsync("prod");
        var steps = graph.DeletionSteps();

        var autoscaler = steps[graph.Single(Deployment, "platform-autoscaler").Resource];
        var crds = steps[graph.Single("kubernetes:yaml/v2:ConfigGroup", "crds").Resource];
        var pools = graph.OfType("kubernetes:karpenter.sh/v1:NodePool").Concat(graph.OfType("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")).ToList();
        Assert.Equal(11, pools.Count);
        foreach (var pool in pools)
        {
            Assert.True(steps[pool.Resource] < autoscaler, $"{pool} is deleted at step {steps[pool.Resource]}, not before the autoscaler ({autoscaler})");
            Assert.True(steps[pool.Resource] < crds, $"{pool} is deleted at step {steps[pool.Resource]}, not before its CRD ({crds})");
        }
    }

    [Fact]
    public async Task Destroy_TheAutoscalerGoesBeforeEverythingItNeedsToTerminateInstances()
    {
        var (graph, _, _) = await DeclareAsync("prod");
        var steps = graph.DeletionSteps();
        var autoscaler = steps[graph.Single(Deployment, "platform-autoscaler").Resource];

        var needed = new[]
        {
            graph.Single("aws:iam/rolePolicy:RolePolicy", "gpu-prod-autoscaler"),
            graph.Single("aws:iam/role:Role", "gpu-prod-autoscaler"),
            graph.Single("aws:eks/podIdentityAssociation:PodIdentityAssociation", "gpu-prod-autoscaler"),
            graph.Single(Addon, "gpu-prod-eks-pod-identity-agent"),
            graph.Single(Addon, "gpu-prod-coredns"),
            graph.Single(NodeGroup, "gpu-prod-system"),
            graph.Single("eks:index:Cluster", "gpu-prod"),
            graph.Single("aws:sqs/queue:Queue", "gpu-prod-interruption"),
            graph.Single("pulumi:providers:kubernetes", "gpu-prod-k8s"),
            graph.Single("kubernetes:core/v1:ConfigMap", "platform-autoscaler-cluster"),
        }
            .Concat(graph.OfType("aws:ec2/subnet:Subnet"))
            .Concat(graph.OfType("aws:ec2/routeTableAssociation:RouteTableAssociation"))
            .Concat(graph.OfType("aws:ec2/natGateway:NatGateway"))
            .ToList();
        Assert.Equal(10 + 6 + 6 + 3, needed.Count);
        foreach (var resource in needed)
        {
            Assert.True(autoscaler < steps[resource.Resource], $"{resource} is deleted at step {steps[resource.Resource]}, while the autoscaler (step {autoscaler}) may still be terminating instances");
        }
    }
}
