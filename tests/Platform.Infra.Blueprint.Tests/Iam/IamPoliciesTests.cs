using System.Text.Json;
using Platform.Infra.Blueprint.Iam;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Iam;

public sealed class IamPoliciesTests
{
    private static readonly AutoscalerPolicyScope Scope = new("aws", "us-east-1", "123456789012", "gpu-prod",
        "arn:aws:sqs:us-east-1:123456789012:gpu-prod", "arn:aws:iam::123456789012:role/KarpenterNodeRole-gpu-prod");

    private static readonly HashSet<string> ReadOnlyOrScopedElsewhere =
        new(StringComparer.Ordinal) { "AllowScopedEC2InstanceAccessActions", "AllowRegionalReadActions", "AllowSSMReadActions", "AllowInterruptionQueueActions", "AllowPassingInstanceRole" };

    [Fact]
    public void NodeManagedPolicies_AreTheFourFromTheSeeds()
    {
        Assert.Equal(
            ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
             "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            IamPolicies.NodeManagedPolicyArns("aws"));
    }

    [Fact]
    public void AutoscalerPolicy_EveryMutatingEc2Statement_IsConditionedOnThisCluster()
    {
        var policy = IamPolicies.AutoscalerPolicy(Scope);

        foreach (var statement in policy.Statement.Where(s => s.Action.Any(a => a.StartsWith("ec2:", StringComparison.Ordinal) && !a.StartsWith("ec2:Describe", StringComparison.Ordinal))))
        {
            if (ReadOnlyOrScopedElsewhere.Contains(statement.Sid))
            {
                continue; // images, snapshots, subnets and security groups are only read by RunInstances
            }

            Assert.NotNull(statement.Condition);
            var keys = statement.Condition!.Values.SelectMany(c => c).ToList();
            Assert.Contains(keys, c => c.Key.EndsWith("kubernetes.io/cluster/gpu-prod", StringComparison.Ordinal) && c.Value.SequenceEqual(["owned"]));
        }
    }

    [Fact]
    public void AutoscalerPolicy_LaunchTemplatesAreScopedToTheNodeClassTag_InstancesToTheNodePoolTag()
    {
        // Templates serve every pool of a class, so they (and the interfaces and spot requests launched from them)
        // carry the class's tag; the autoscaler's Ec2Tags writes the same keys (checked by the IAM contract test).
        var policy = IamPolicies.AutoscalerPolicy(Scope);

        Assert.Equal(["*"], policy["AllowScopedLaunchTemplateDeletion"].Condition!["StringLike"]["aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass"]);
        Assert.Equal(["*"], policy["AllowScopedLaunchTemplateCreationWithTags"].Condition!["StringLike"]["aws:RequestTag/karpenter.k8s.aws/ec2nodeclass"]);
        Assert.Equal(["*"], policy["AllowScopedInstanceTermination"].Condition!["StringLike"]["aws:ResourceTag/karpenter.sh/nodepool"]);
        Assert.Contains("arn:aws:ec2:us-east-1:*:network-interface/*", policy["AllowScopedEC2NetworkInterfaceActionsWithTags"].Resource!);
    }

    [Fact]
    public void AutoscalerPolicy_PassRole_OnlyTheNodeRoleToEc2()
    {
        var statement = IamPolicies.AutoscalerPolicy(Scope)["AllowPassingInstanceRole"];

        Assert.Equal([Scope.NodeRoleArn], statement.Resource);
        Assert.Equal(["ec2.amazonaws.com"], statement.Condition!["StringEquals"]["iam:PassedToService"]);
        Assert.DoesNotContain(IamPolicies.AutoscalerPolicy(Scope).Statement.Where(s => s.Sid != "AllowPassingInstanceRole"), s => s.Action.Contains("iam:PassRole"));
    }

    [Fact]
    public void AutoscalerPolicy_Sqs_OnlyItsQueue()
    {
        var sqs = IamPolicies.AutoscalerPolicy(Scope).Statement.Where(s => s.Action.Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();

        var statement = Assert.Single(sqs);
        Assert.Equal([Scope.InterruptionQueueArn], statement.Resource);
        Assert.DoesNotContain("sqs:*", statement.Action);
    }

    [Fact]
    public void AutoscalerPolicy_NoStatementAllowsEverythingOnEverything()
    {
        Assert.All(IamPolicies.AutoscalerPolicy(Scope).Statement, s => Assert.DoesNotContain(s.Action, a => a.EndsWith(":*", StringComparison.Ordinal) || a == "*"));
    }

    [Fact]
    public void ToJson_UsesIamFieldNamesAndOmitsNulls()
    {
        using var json = JsonDocument.Parse(IamPolicies.PodIdentityTrust().ToJson());
        var root = json.RootElement;

        Assert.Equal("2012-10-17", root.GetProperty("Version").GetString());
        var statement = root.GetProperty("Statement")[0];
        Assert.Equal("pods.eks.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.False(statement.TryGetProperty("Resource", out _));
        Assert.False(statement.TryGetProperty("Condition", out _));
    }

    [Fact]
    public void QueuePolicy_AllowsEventBridgeAndDeniesPlainHttp()
    {
        var policy = IamPolicies.InterruptionQueuePolicy(Scope.InterruptionQueueArn);

        Assert.Contains("events.amazonaws.com", policy["AllowEventBridgeToSend"].Principal!["Service"]);
        Assert.Equal("Deny", policy["DenyHTTP"].Effect);
        Assert.Equal(["false"], policy["DenyHTTP"].Condition!["Bool"]["aws:SecureTransport"]);
    }

    [Fact]
    public void AutoscalerPolicy_MatchesSnapshot()
    {
        Snapshot.Match("iam/autoscaler-policy.json", IamPolicies.AutoscalerPolicy(Scope).ToJson());
        Snapshot.Match("iam/interruption-queue-policy.json", IamPolicies.InterruptionQueuePolicy(Scope.InterruptionQueueArn).ToJson());
    }

    [Fact]
    public void NodeRoleName_IsWhatTheNodeClassesReference()
    {
        Assert.Equal("KarpenterNodeRole-gpu-dev", IamPolicies.NodeRoleName(Stacks.Settings("dev")));
    }
}
