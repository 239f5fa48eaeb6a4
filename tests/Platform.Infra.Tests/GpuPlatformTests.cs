using System.Collections.Immutable;
using System.Text.Json;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Settings;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace Platform.Infra.Tests;

public sealed class GpuPlatformTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static Dictionary<string, string> Config(string stack) =>
        new(StackConfigFile.Parse(File.ReadAllText(Path.Combine(Root, $"Pulumi.{stack}.yaml"))));

    private static async Task<(AwsMocks Mocks, IDictionary<string, object?> Outputs)> RunAsync(string stack, IDictionary<string, string>? config = null)
    {
        var mocks = new AwsMocks();
        var lookup = StackConfigFile.Lookup(new Dictionary<string, string>(config ?? Config(stack)));
        var (_, outputs) = await Deployment.TestAsync(mocks, new TestOptions { StackName = stack, ProjectName = "gpu-platform", IsPreview = false },
            () => GpuPlatform.BuildAsync(stack, lookup));
        return (mocks, outputs);
    }

    [Fact]
    public async Task Build_Prod_SubnetsPerAzWithElbDiscoveryAndEfaTags()
    {
        var (mocks, _) = await RunAsync("prod");

        var subnets = mocks.OfType("aws:ec2/subnet:Subnet").ToList();
        Assert.Equal(6, subnets.Count);
        var tags = subnets.Select(s => (ImmutableDictionary<string, object>)s.Inputs["tags"]).ToList();
        Assert.Equal(3, tags.Count(t => t.ContainsKey("kubernetes.io/role/elb")));
        Assert.Equal(3, tags.Count(t => Equals(t.GetValueOrDefault("karpenter.sh/discovery"), "gpu-prod")));
        Assert.Single(tags, t => t.ContainsKey("gpu-platform/efa"));
        Assert.Equal(3, mocks.OfType("aws:ec2/natGateway:NatGateway").Count());
    }

    [Fact]
    public async Task Build_Dev_OneNatGateway()
    {
        var (mocks, _) = await RunAsync("dev");

        Assert.Single(mocks.OfType("aws:ec2/natGateway:NatGateway"));
        Assert.Equal(4, mocks.OfType("aws:ec2/subnet:Subnet").Count());
    }

    [Fact]
    public async Task Build_SystemNodeGroup_UsesImdsV2AndTheSystemLabel()
    {
        var (mocks, _) = await RunAsync("prod");

        var group = Assert.Single(mocks.OfType("eks:index:ManagedNodeGroup")).Inputs;
        Assert.Equal(true, group["enableIMDSv2"]);
        Assert.Equal("system", ((ImmutableDictionary<string, object>)group["labels"])["gpu-platform/node-group"]);
        Assert.Equal(["m6i.xlarge"], ((ImmutableArray<object>)group["instanceTypes"]).Cast<string>());
    }

    [Fact]
    public async Task Build_InterruptionQueue_EncryptedWithFourRules()
    {
        var (mocks, outputs) = await RunAsync("prod");

        var queue = Assert.Single(mocks.OfType("aws:sqs/queue:Queue")).Inputs;
        Assert.Equal(true, queue["sqsManagedSseEnabled"]);
        Assert.Equal("gpu-prod", queue["name"]);
        Assert.Equal(4, mocks.OfType("aws:cloudwatch/eventRule:EventRule").Count());
        Assert.Equal(4, mocks.OfType("aws:cloudwatch/eventTarget:EventTarget").Count());
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/123456789012/gpu-prod", await ValueAsync(outputs["interruptionQueueUrl"]));
    }

    [Fact]
    public async Task Build_AutoscalerPolicy_IsScopedToThisClusterItsQueueAndTheNodeRole()
    {
        var (mocks, _) = await RunAsync("prod");

        var policy = (string)Assert.Single(mocks.OfType("aws:iam/rolePolicy:RolePolicy")).Inputs["policy"];
        using var json = JsonDocument.Parse(policy);
        var statements = json.RootElement.GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        Assert.Equal("owned", statements["AllowScopedDeletion"].GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:ResourceTag/kubernetes.io/cluster/gpu-prod")[0].GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/KarpenterNodeRole-gpu-prod", statements["AllowPassingInstanceRole"].GetProperty("Resource")[0].GetString());
        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:gpu-prod", statements["AllowInterruptionQueueActions"].GetProperty("Resource")[0].GetString());
    }

    [Fact]
    public async Task Build_NodeRole_HasTheFourManagedPolicies()
    {
        var (mocks, _) = await RunAsync("dev");

        var attached = mocks.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .Select(a => (string)a.Inputs["policyArn"]).Where(a => !a.Contains("EBSCSI", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
             "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            attached);
        Assert.Single(mocks.OfType("aws:iam/instanceProfile:InstanceProfile"));
    }

    [Fact]
    public async Task Build_Cluster_AddonsPodIdentityAndDiscoveryTag()
    {
        var (mocks, _) = await RunAsync("prod");

        var cluster = Assert.Single(mocks.OfType("eks:index:Cluster")).Inputs;
        Assert.Equal("API", cluster["authenticationMode"]);
        Assert.Equal(true, cluster["createOidcProvider"]);
        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent"], mocks.OfType("aws:eks/addon:Addon").Select(a => (string)a.Inputs["addonName"]).Order(StringComparer.Ordinal));
        var association = Assert.Single(mocks.OfType("aws:eks/podIdentityAssociation:PodIdentityAssociation")).Inputs;
        Assert.Equal("platform-autoscaler", association["serviceAccount"]);
        var tag = Assert.Single(mocks.OfType("aws:ec2/tag:Tag")).Inputs;
        Assert.Equal("sg-0123456789abcdef0", tag["resourceId"]);
    }

    [Fact]
    public async Task Build_AutoscalerClusterConfigMap_CarriesTheClustersEndpointAndServiceCidr()
    {
        var (mocks, _) = await RunAsync("dev");

        var configMap = Assert.Single(mocks.OfType("kubernetes:core/v1:ConfigMap"), c => c.Name == "platform-autoscaler-cluster").Inputs;
        var data = (ImmutableDictionary<string, object>)configMap["data"];
        Assert.Equal(AwsMocks.Endpoint, data["endpoint"]);
        Assert.Equal(AwsMocks.ServiceCidr, data["serviceCidr"]);
    }

    [Fact]
    public async Task Build_Outputs_KubeconfigIsSecretAndNodePoolsAreNamed()
    {
        var (_, outputs) = await RunAsync("dev");

        Assert.True(await Output.IsSecretAsync((Output<string>)outputs["kubeconfig"]!));
        Assert.Equal("gpu-dev", await ValueAsync(outputs["clusterName"]));
        var names = (ImmutableArray<string>)(await ValueAsync(outputs["nodePoolNames"]))!;
        Assert.Contains(NodePoolNames.Tier1G5Spot, names);
        Assert.Contains("arn:aws:iam::123456789012:role/gpu-dev-autoscaler", (string)(await ValueAsync(outputs["autoscalerRoleArn"]))!);
    }

    [Fact]
    public async Task Build_InvalidNodePoolSettings_FailsWithTheValidatorsMessageBeforeAnyResource()
    {
        var config = Config("prod");
        config["gpu-platform:budgets"] = """{"defaultNodes": "1", "businessHours": {"schedule": "0 9 * * MON-FRI", "duration": "10h"}}""";
        config["gpu-platform:nodePools"] = """{"trainingCapacityType": "reserved-ish", "limits": {"tier1SpotGpus": 1, "tier2SpotGpus": 1, "tier3OnDemandGpus": 1, "trainingGpus": 1, "inferenceGpus": 1, "cpuCores": 1, "cpuMemory": "1Gi"}}""";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync("prod", config));

        Assert.Contains("gpu-platform:nodePools.trainingCapacityType: 'reserved-ish'", error.ToString(), StringComparison.Ordinal);
    }

    private static Task<object?> ValueAsync(object? output) =>
        output switch
        {
            Output<string> s => OutputUtilities.GetValueAsync(s).ContinueWith(t => (object?)t.Result, TaskScheduler.Default),
            Output<ImmutableArray<string>> a => OutputUtilities.GetValueAsync(a).ContinueWith(t => (object?)t.Result, TaskScheduler.Default),
            _ => throw new ArgumentException($"unexpected output {output?.GetType()}"),
        };
}
