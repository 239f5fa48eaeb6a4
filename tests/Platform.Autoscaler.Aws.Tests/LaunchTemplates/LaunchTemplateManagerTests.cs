using System.Text;
using Amazon.EC2.Model;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.LaunchTemplates;

public sealed class LaunchTemplateManagerTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static ClusterInfo Cluster(string name) => new(name, "https://example.eks.amazonaws.com", "Q0E=", "172.20.0.0/16");

    private static EC2NodeClass NodeClass(string? userData = null, long? hopLimit = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "gpu" },
        Spec = new EC2NodeClassSpec
        {
            Role = "node-role",
            AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
            SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "subnet-1" }],
            SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = "sg-1" }],
            UserData = userData,
            Kubelet = new KubeletConfiguration { MaxPods = 110 },
            MetadataOptions = hopLimit is null ? null : new MetadataOptions { HttpPutResponseHopLimit = hopLimit },
            BlockDeviceMappings = [new Platform.Autoscaler.Api.BlockDeviceMapping { DeviceName = "/dev/xvda", RootVolume = true, Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("200Gi"), VolumeType = "gp3" } }],
        },
    };

    private static readonly EC2NodeClassStatus Status = new() { SecurityGroups = [new ResolvedSecurityGroup { Id = "sg-1" }] };

    [MotoFact]
    public async Task Ensure_CreatesHardenedTemplateOnceAndReusesIt()
    {
        using var ec2 = moto.Ec2();
        var manager = new LaunchTemplateManager(ec2, Cluster($"c-{Guid.NewGuid():N}"));
        var name = await manager.EnsureAsync(NodeClass(), Status, "ami-0abc", "on-demand", CancellationToken.None);
        Assert.Equal(name, await manager.EnsureAsync(NodeClass(), Status, "ami-0abc", "on-demand", CancellationToken.None));
        var versions = await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = name });
        var data = Assert.Single(versions.LaunchTemplateVersions!).LaunchTemplateData;
        Assert.Equal("ami-0abc", data.ImageId);
        Assert.Equal("required", data.MetadataOptions.HttpTokens.Value);
        Assert.Equal(1, data.MetadataOptions.HttpPutResponseHopLimit);
        var root = Assert.Single(data.BlockDeviceMappings!);
        Assert.True(root.Ebs.Encrypted);
        Assert.Equal(200, root.Ebs.VolumeSize);
        var userData = Encoding.UTF8.GetString(Convert.FromBase64String(data.UserData));
        Assert.Contains("kind: NodeConfig", userData, StringComparison.Ordinal);
        Assert.Contains("maxPods: 110", userData, StringComparison.Ordinal);
        Assert.Contains("karpenter.sh/unregistered", userData, StringComparison.Ordinal);
    }

    [MotoFact]
    public async Task Ensure_TagsTheTemplateAndTheInterfacesItLaunches_ASpotTemplateAlsoItsSpotRequests()
    {
        using var ec2 = moto.Ec2();
        var cluster = $"c-{Guid.NewGuid():N}";
        var manager = new LaunchTemplateManager(ec2, Cluster(cluster));
        var nodeClass = NodeClass() with { Spec = NodeClass().Spec! with { Tags = new Dictionary<string, string> { ["team"] = "ml" } } };
        string[] expected = ["eks:eks-cluster-name", "karpenter.k8s.aws/ec2nodeclass", $"kubernetes.io/cluster/{cluster}", "team"];

        var onDemand = await manager.EnsureAsync(nodeClass, Status, "ami-0abc", "on-demand", CancellationToken.None);
        var spot = await manager.EnsureAsync(nodeClass, Status, "ami-0abc", "spot", CancellationToken.None);

        Assert.NotEqual(onDemand, spot);
        var template = (await ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { LaunchTemplateNames = [spot] })).LaunchTemplates![0];
        Assert.Equal(expected, template.Tags!.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal("gpu", template.Tags!.Single(t => t.Key == "karpenter.k8s.aws/ec2nodeclass").Value);
        async Task<Dictionary<string, string[]>> LaunchTagsAsync(string name) =>
            (await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateName = name })).LaunchTemplateVersions![0]
                .LaunchTemplateData.TagSpecifications!
                .Where(t => t.ResourceType.Value != "launch-template") // moto echoes the template's own tags here; AWS does not
                .ToDictionary(t => t.ResourceType.Value, t => t.Tags.Select(x => x.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(new Dictionary<string, string[]> { ["network-interface"] = expected }, await LaunchTagsAsync(onDemand));
        Assert.Equal(new Dictionary<string, string[]> { ["network-interface"] = expected, ["spot-instances-request"] = expected }, await LaunchTagsAsync(spot));
    }

    [MotoFact]
    public async Task Ensure_ChangedClassOrAmi_NewTemplate_OldOneStaleAndDeleted()
    {
        using var ec2 = moto.Ec2();
        var manager = new LaunchTemplateManager(ec2, Cluster($"c-{Guid.NewGuid():N}"));
        var first = await manager.EnsureAsync(NodeClass(), Status, "ami-0abc", "on-demand", CancellationToken.None);
        var changed = await manager.EnsureAsync(NodeClass(hopLimit: 2), Status, "ami-0abc", "on-demand", CancellationToken.None);
        var newAmi = await manager.EnsureAsync(NodeClass(hopLimit: 2), Status, "ami-0def", "on-demand", CancellationToken.None);
        Assert.Equal(3, new[] { first, changed, newAmi }.Distinct().Count());
        var deleted = await manager.DeleteStaleAsync(new HashSet<string> { newAmi }, CancellationToken.None);
        Assert.Equal(new[] { first, changed }.Order(), deleted.Order());
    }

    [Fact]
    public void Name_ChangesWithWhatTheSelectorsResolvedTo_NotOnlyWithTheSpec()
    {
        using var ec2 = new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"), new Amazon.EC2.AmazonEC2Config { ServiceURL = "http://127.0.0.1:9" });
        var manager = new LaunchTemplateManager(ec2, Cluster("c"));
        var name = manager.Name(NodeClass(), Status, "ami-0abc", "on-demand");
        Assert.Equal(name, manager.Name(NodeClass(), Status with { Subnets = [new ResolvedSubnet { Id = "subnet-9" }] }, "ami-0abc", "on-demand"));
        Assert.NotEqual(name, manager.Name(NodeClass(), Status with { SecurityGroups = [new ResolvedSecurityGroup { Id = "sg-2" }] }, "ami-0abc", "on-demand"));
        Assert.NotEqual(name, manager.Name(NodeClass(), Status with { InstanceProfile = "other" }, "ami-0abc", "on-demand"));
        Assert.NotEqual(name, manager.Name(NodeClass(), Status, "ami-0def", "on-demand"));
        Assert.NotEqual(name, manager.Name(NodeClass(hopLimit: 2), Status, "ami-0abc", "on-demand"));
    }
}
