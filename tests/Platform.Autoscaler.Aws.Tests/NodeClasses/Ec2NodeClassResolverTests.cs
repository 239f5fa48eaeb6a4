using Amazon.EC2.Model;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.NodeClasses;

public sealed class Ec2NodeClassResolverTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static EC2NodeClass NodeClass(EC2NodeClassSpec spec) => new() { Metadata = new V1ObjectMeta { Name = "gpu" }, Spec = spec };

    private Task<(string Tag, string SubnetA, string SubnetB, string Group, string Image)> PrepareAsync() => MotoNodeClass.PrepareAsync(moto);

    private static EC2NodeClassSpec Spec(string tag, AmiSelectorTerm ami) => MotoNodeClass.Create(tag, ami).Spec!;

    [MotoFact]
    public async Task Resolve_TagsAndId_SubnetsWithZonesGroupsAndImage()
    {
        var (tag, a, b, group, image) = await PrepareAsync();
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var status = await new Ec2NodeClassResolver(ec2, ssm, "1.33").ResolveAsync(NodeClass(Spec(tag, new AmiSelectorTerm { Id = image })), CancellationToken.None);
        Assert.Equal([(a, "us-east-1a"), (b, "us-east-1b")], status.Subnets!.Select(s => (s.Id!, s.Zone!)));
        Assert.Equal([group], status.SecurityGroups!.Select(g => g.Id));
        var ami = Assert.Single(status.Amis!);
        Assert.Equal(image, ami.Id);
        Assert.Equal(WellKnownLabels.Arch, ami.Requirements![0].Key);
    }

    [MotoFact]
    public async Task Resolve_Alias_ReadsEachVariantFromSsmAndSkipsMissingOnes()
    {
        var (tag, _, _, _, _) = await PrepareAsync();
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, MotoNodeClass.AliasParameters);
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        var status = await new Ec2NodeClassResolver(ec2, ssm, "1.33").ResolveAsync(NodeClass(Spec(tag, new AmiSelectorTerm { Alias = "al2023@latest" })), CancellationToken.None);
        Assert.Equal(["ami-0standard", "ami-0nvidia"], status.Amis!.Select(a => a.Id));
        var nvidia = status.Amis!.Single(a => a.Id == "ami-0nvidia");
        Assert.Contains(nvidia.Requirements!, r => r.Key == WellKnownLabels.InstanceGpuCount && r.Operator == Operators.Exists);
        var standard = status.Amis!.Single(a => a.Id == "ami-0standard");
        Assert.Contains(standard.Requirements!, r => r.Key == WellKnownLabels.InstanceGpuCount && r.Operator == Operators.DoesNotExist);
    }

    [MotoFact]
    public async Task Resolve_NothingMatches_EachDependencyFalseNamingItsField()
    {
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var spec = Spec("no-such-cluster", new AmiSelectorTerm { Tags = new Dictionary<string, string> { ["team"] = "nobody" } });
        var status = await new Ec2NodeClassResolver(ec2, ssm, "1.33").ResolveAsync(NodeClass(spec), CancellationToken.None);
        Assert.Equal(
            [
                ("SubnetsReady", "False", "SubnetsNotFound"), ("SecurityGroupsReady", "False", "SecurityGroupsNotFound"),
                ("AMIsReady", "False", "AMINotFound"), ("InstanceProfileReady", "True", "InstanceProfileReady"),
            ],
            status.Conditions!.Select(c => (c.Type!, c.Status!, c.Reason!)));
        Assert.Equal(
            [
                "SubnetsReady: spec.subnetSelectorTerms matched no subnet", "SecurityGroupsReady: spec.securityGroupSelectorTerms matched no security group",
                "AMIsReady: spec.amiSelectorTerms matched no AMI",
            ],
            NodeClassConditions.Problems(status));
    }

    [MotoFact]
    public async Task Resolve_IdSelectors_MatchedByFilter_AndUnknownIdsAreFalseConditionsNotErrors()
    {
        var (_, a, _, group, image) = await PrepareAsync();
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var resolver = new Ec2NodeClassResolver(ec2, ssm, "1.33");
        EC2NodeClassSpec ById(string subnet, string securityGroup, string ami) => new()
        {
            Role = "node-role",
            SubnetSelectorTerms = [new SubnetSelectorTerm { Id = subnet }],
            SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = securityGroup }],
            AmiSelectorTerms = [new AmiSelectorTerm { Id = ami }],
        };

        var found = await resolver.ResolveAsync(NodeClass(ById(a, group, image)), CancellationToken.None);
        Assert.Equal([a], found.Subnets!.Select(s => s.Id));
        Assert.Equal([group], found.SecurityGroups!.Select(g => g.Id));
        Assert.Equal([image], found.Amis!.Select(i => i.Id));
        Assert.Empty(NodeClassConditions.Problems(found));

        var missing = await resolver.ResolveAsync(NodeClass(ById("subnet-0000000000dead", "sg-0000000000dead", "ami-0000000000dead")), CancellationToken.None);
        Assert.Equal(["SubnetsReady", "SecurityGroupsReady", "AMIsReady"], NodeClassConditions.Problems(missing).Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
    }

    [MotoFact]
    public async Task Resolve_Matches_EveryDependencyTrue()
    {
        var (tag, _, _, _, image) = await PrepareAsync();
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var status = await new Ec2NodeClassResolver(ec2, ssm, "1.33").ResolveAsync(NodeClass(Spec(tag, new AmiSelectorTerm { Id = image })), CancellationToken.None);
        Assert.Equal(NodeClassConditions.Dependents, status.Conditions!.Select(c => c.Type));
        Assert.All(status.Conditions!, c => Assert.Equal("True", c.Status));
        Assert.Empty(NodeClassConditions.Problems(status));
    }

    /// <summary>Resolves through a proxy and returns the bodies of the requests of one action.</summary>
    private async Task<(EC2NodeClassStatus Status, List<string> Bodies)> ResolveRecordingAsync(
        EC2NodeClassSpec spec, string action, IReadOnlyDictionary<string, string>? parameters = null)
    {
        using var proxy = new FaultProxy(moto.Endpoint);
        var bodies = new List<string>();
        proxy.OnRequest = r =>
        {
            if (r.Action == action)
            {
                bodies.Add(Uri.UnescapeDataString(r.Body));
            }

            return Task.CompletedTask;
        };
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, parameters ?? new Dictionary<string, string>());
        using var ec2 = new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new Amazon.EC2.AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        return (await new Ec2NodeClassResolver(ec2, ssm, "1.33").ResolveAsync(NodeClass(spec), CancellationToken.None), bodies);
    }

    [MotoFact]
    public async Task Resolve_NameWithoutOwner_SearchesOnlyThisAccountsAndAmazonsImages()
    {
        var (tag, _, _, _, image) = await PrepareAsync();
        using var setup = moto.Ec2();
        var name = (await setup.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [image] })).Images![0].Name;

        var (status, bodies) = await ResolveRecordingAsync(Spec(tag, new AmiSelectorTerm { Name = name }) with { AmiFamily = "AL2023" }, "DescribeImages");

        // A public AMI of any other account with the same name must never be launched: EC2 answers Owners literally.
        Assert.Contains("Owner.1=self&Owner.2=amazon", Assert.Single(bodies), StringComparison.Ordinal);
        Assert.Equal([image], status.Amis!.Select(a => a.Id));
        var (_, owned) = await ResolveRecordingAsync(Spec(tag, new AmiSelectorTerm { Name = name, Owner = "099720109477" }) with { AmiFamily = "AL2023" }, "DescribeImages");
        Assert.Contains("Owner.1=099720109477&", Assert.Single(owned), StringComparison.Ordinal);
        Assert.DoesNotContain("Owner.2", owned[0], StringComparison.Ordinal);
    }

    [MotoFact]
    public async Task Resolve_SsmParameterTerm_DescribesTheParametersAmiById_NeverEveryImage()
    {
        var (tag, _, _, _, image) = await PrepareAsync();
        const string parameter = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";

        var (status, bodies) = await ResolveRecordingAsync(Spec(tag, new AmiSelectorTerm { SsmParameter = parameter }) with { AmiFamily = "AL2023" }, "DescribeImages",
            new Dictionary<string, string> { [parameter] = image });

        Assert.Contains($"Filter.1.Name=image-id&Filter.1.Value.1={image}", Assert.Single(bodies), StringComparison.Ordinal);
        Assert.Equal([image], status.Amis!.Select(a => a.Id));
        Assert.Empty(NodeClassConditions.Problems(status));

        var (missing, none) = await ResolveRecordingAsync(Spec(tag, new AmiSelectorTerm { SsmParameter = "/team/ami" }) with { AmiFamily = "AL2023" }, "DescribeImages");
        Assert.Empty(none);
        Assert.Equal(["AMIsReady: spec.amiSelectorTerms: ssm parameter /team/ami was not found"], NodeClassConditions.Problems(missing));
    }

    [Fact]
    public void Alias_UnsupportedFamily_Explained() =>
        Assert.Contains("not supported", AmiAlias.Candidates("windows2022@latest", "1.33").Error, StringComparison.Ordinal);

    [Fact]
    public void Alias_PinnedVersion_UsesTheReleasePath() =>
        Assert.Contains("/amazon-eks-node-al2023-x86_64-standard-1.33-v20240807/image_id", AmiAlias.Candidates("al2023@v20240807", "1.33").Candidates[0].Parameter, StringComparison.Ordinal);
}
