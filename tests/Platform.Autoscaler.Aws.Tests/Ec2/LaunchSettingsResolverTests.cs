using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Aws.Tests.Ec2;

public sealed class LaunchSettingsResolverTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    private static LaunchAttempt Attempt(params string[] types) =>
        new("claim-1", "default", "gpu", "on-demand", [.. types.Select((t, i) => new LaunchOption(t, i % 2 == 0 ? "us-east-1a" : "us-east-1b", "on-demand", 1 + i))]);

    [MotoFact]
    public async Task Resolve_PicksTheAmiOfTheCheapestType_AndCarriesOnlyTheTypesItServes()
    {
        var (tag, a, b, _, _) = await MotoNodeClass.PrepareAsync(moto);
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, MotoNodeClass.AliasParameters);
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        var nodeClass = MotoNodeClass.Create(tag, new AmiSelectorTerm { Alias = "al2023@latest" });
        var resolver = new LaunchSettingsResolver((name, _) => Task.FromResult(name == "gpu" ? nodeClass : null),
            new Ec2NodeClassResolver(ec2, ssm, "1.33"), new LaunchTemplateManager(ec2, new ClusterInfo(tag, "https://api.example", "Q0E=", "10.100.0.0/16")),
            _ => Task.FromResult(Catalog), new FakeTimeProvider());

        var gpu = await resolver.LaunchSettingsAsync(Attempt("g5.xlarge", "m5.large", "g5.2xlarge"), CancellationToken.None);
        var cpu = await resolver.LaunchSettingsAsync(Attempt("m5.large", "g5.xlarge"), CancellationToken.None);

        Assert.Equal(["g5.2xlarge", "g5.xlarge"], gpu.InstanceTypes!.Order(StringComparer.Ordinal));
        Assert.Equal(["m5.large"], cpu.InstanceTypes!);
        Assert.Equal(new Dictionary<string, string> { ["us-east-1a"] = a, ["us-east-1b"] = b }, gpu.SubnetsByZone);
        Assert.True(gpu.Serves("g5.xlarge", "us-east-1b"));
        Assert.False(gpu.Serves("m5.large", "us-east-1a"));
        Assert.False(gpu.Serves("g5.xlarge", "us-east-1c"));
        Assert.NotEqual(gpu.LaunchTemplateName, cpu.LaunchTemplateName);
        Assert.Equal("ami-0nvidia", await ImageAsync(ec2, gpu.LaunchTemplateName));
        Assert.Equal("ami-0standard", await ImageAsync(ec2, cpu.LaunchTemplateName));
        // The role names the instance profile the stack creates beside it.
        var profile = (await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = gpu.LaunchTemplateName }))
            .LaunchTemplateVersions![0].LaunchTemplateData.IamInstanceProfile;
        Assert.Equal("node-role", profile.Name);
    }

    [MotoFact]
    public async Task Resolve_ReusesTheResolvedNodeClassUntilItsGenerationUidOrTheTtlChanges()
    {
        var (tag, _, _, _, image) = await MotoNodeClass.PrepareAsync(moto);
        using var proxy = new FaultProxy(moto.Endpoint);
        using var ec2 = moto.Ec2();
        using var proxied = new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new Amazon.EC2.AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var nodeClass = MotoNodeClass.Create(tag, new AmiSelectorTerm { Id = image });
        var time = new FakeTimeProvider();
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(nodeClass),
            new Ec2NodeClassResolver(proxied, ssm, "1.33"), new LaunchTemplateManager(ec2, new ClusterInfo(tag, "https://api.example", "Q0E=", "10.100.0.0/16")),
            _ => Task.FromResult(Catalog), time, TimeSpan.FromMinutes(5));
        int Resolutions() => proxy.Actions.Count(a => a == "DescribeSubnets");

        await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None);
        await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None);
        Assert.Equal(1, Resolutions());

        nodeClass = nodeClass with { Metadata = new k8s.Models.V1ObjectMeta { Name = "gpu", Generation = 2 } };
        await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None);
        Assert.Equal(2, Resolutions());

        // Deleted and created again under the same name: its generation starts over, its uid does not repeat.
        nodeClass = nodeClass with { Metadata = new k8s.Models.V1ObjectMeta { Name = "gpu", Generation = 2, Uid = "recreated" } };
        await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None);
        Assert.Equal(3, Resolutions());

        time.Advance(TimeSpan.FromMinutes(6));
        await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None);
        Assert.Equal(4, Resolutions());
    }

    [Fact]
    public async Task Resolve_UnknownNodeClass_NamesIt()
    {
        using var ec2 = new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"), new Amazon.EC2.AmazonEC2Config { ServiceURL = "http://127.0.0.1:9" });
        using var ssm = MotoServer.Ssm("http://127.0.0.1:9");
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(null), new Ec2NodeClassResolver(ec2, ssm, "1.33"),
            new LaunchTemplateManager(ec2, new ClusterInfo("c", "https://api.example", "Q0E=", "10.100.0.0/16")), _ => Task.FromResult(Catalog), new FakeTimeProvider());
        var error = await Assert.ThrowsAsync<NodeClassNotReadyException>(() => resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None));
        Assert.Equal("EC2NodeClass/gpu: not found", error.Message);
    }

    [MotoFact]
    public async Task LaunchSettings_ClassMatchesNothing_RefusedNamingEveryField()
    {
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var nodeClass = MotoNodeClass.Create("no-such-tag", new AmiSelectorTerm { Tags = new Dictionary<string, string> { ["team"] = "nobody" } });
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(nodeClass), new Ec2NodeClassResolver(ec2, ssm, "1.33"),
            new LaunchTemplateManager(ec2, new ClusterInfo("c", "https://api.example", "Q0E=", "10.100.0.0/16")), _ => Task.FromResult(Catalog), new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<NodeClassNotReadyException>(() => resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None));

        Assert.Equal("gpu", error.NodeClass);
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("spec.subnetSelectorTerms matched no subnet", error.Message, StringComparison.Ordinal);
        Assert.Contains("spec.securityGroupSelectorTerms matched no security group", error.Message, StringComparison.Ordinal);
        Assert.Contains("spec.amiSelectorTerms matched no AMI", error.Message, StringComparison.Ordinal);
    }

    [MotoFact]
    public async Task DeleteUnused_KeepsEveryTemplateACurrentClassAndAmiUses_DeletesTheRest()
    {
        var (tag, _, _, _, _) = await MotoNodeClass.PrepareAsync(moto);
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, MotoNodeClass.AliasParameters);
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        var gpu = MotoNodeClass.Create(tag, new AmiSelectorTerm { Alias = "al2023@latest" });
        var templates = new LaunchTemplateManager(ec2, new ClusterInfo(tag, "https://api.example", "Q0E=", "10.100.0.0/16"));
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(gpu), new Ec2NodeClassResolver(ec2, ssm, "1.33"), templates,
            _ => Task.FromResult(Catalog), new FakeTimeProvider());
        var status = await resolver.ResolveAsync(gpu, CancellationToken.None);
        var current = await templates.EnsureAsync(gpu, status, "ami-0nvidia", "on-demand", CancellationToken.None);
        // The class before an edit, and an AMI "latest" no longer names.
        var edited = gpu with { Spec = gpu.Spec! with { UserData = "echo before" } };
        var oldSpec = await templates.EnsureAsync(edited, status, "ami-0nvidia", "on-demand", CancellationToken.None);
        var oldAmi = await templates.EnsureAsync(gpu, status, "ami-0retired", "on-demand", CancellationToken.None);

        var deleted = await resolver.DeleteUnusedAsync([gpu], CancellationToken.None);

        Assert.Equal(new[] { oldAmi, oldSpec }.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        Assert.Equal([current], await TemplatesAsync(ec2, tag));
        Assert.Equal([current], await resolver.DeleteUnusedAsync([], CancellationToken.None));
        Assert.Empty(await TemplatesAsync(ec2, tag));
    }

    [MotoFact]
    public async Task DeleteUnused_KeepsATemplateALaunchEnsuredMomentsAgo_EvenOnceNoClassUsesIt()
    {
        var (tag, _, _, _, image) = await MotoNodeClass.PrepareAsync(moto);
        using var ec2 = moto.Ec2();
        using var ssm = MotoServer.Ssm(moto.Endpoint);
        var nodeClass = MotoNodeClass.Create(tag, new AmiSelectorTerm { Id = image });
        var time = new FakeTimeProvider();
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(nodeClass), new Ec2NodeClassResolver(ec2, ssm, "1.33"),
            new LaunchTemplateManager(ec2, new ClusterInfo(tag, "https://api.example", "Q0E=", "10.100.0.0/16")), _ => Task.FromResult(Catalog), time);
        var launching = (await resolver.LaunchSettingsAsync(Attempt("m5.large"), CancellationToken.None)).LaunchTemplateName;

        // The class is deleted while that launch is on its way to CreateFleet.
        Assert.Empty(await resolver.DeleteUnusedAsync([], CancellationToken.None));
        Assert.Equal([launching], await TemplatesAsync(ec2, tag));

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal([launching], await resolver.DeleteUnusedAsync([], CancellationToken.None));
    }

    private static async Task<List<string>> TemplatesAsync(Amazon.EC2.IAmazonEC2 ec2, string cluster) =>
        [.. ((await ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest
        {
            Filters = [new Filter($"tag:kubernetes.io/cluster/{cluster}", ["owned"])],
        })).LaunchTemplates ?? []).Select(t => t.LaunchTemplateName)];

    private static async Task<string> ImageAsync(Amazon.EC2.IAmazonEC2 ec2, string template) =>
        (await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = template }))
            .LaunchTemplateVersions![0].LaunchTemplateData.ImageId;
}
