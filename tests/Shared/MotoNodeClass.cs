using Amazon.EC2.Model;
using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Tests.Shared;

/// <summary>A VPC in moto with two discovery-tagged subnets (1a, 1b), one untagged (1c) and a tagged security group, and a node class selecting them.</summary>
public static class MotoNodeClass
{
    /// <summary>The al2023@latest parameters on 1.33 with only the x86_64 standard and NVIDIA variants published.</summary>
    public static readonly IReadOnlyDictionary<string, string> AliasParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id"] = "ami-0standard",
        ["/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/recommended/image_id"] = "ami-0nvidia",
    };

    /// <summary>
    /// SSM's answer to a GetParameter body ({"Name": ...}) from <paramref name="parameters"/>: the value, or
    /// ParameterNotFound as SSM sends it. moto holds none of AWS's public EKS parameters, so the fault proxy answers.
    /// </summary>
    public static (int Status, string Body) GetParameterAnswer(string body, IReadOnlyDictionary<string, string> parameters)
    {
        using var request = System.Text.Json.JsonDocument.Parse(body);
        var name = request.RootElement.GetProperty("Name").GetString()!;
        return parameters.TryGetValue(name, out var value)
            ? (200, System.Text.Json.JsonSerializer.Serialize(new { Parameter = new { Name = name, Value = value, Type = "String", Version = 1 } }))
            : (400, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "ParameterNotFound", ["message"] = $"Parameter {name} not found." }));
    }

    /// <summary>Creates the network under a fresh discovery tag.</summary>
    public static async Task<(string Tag, string SubnetA, string SubnetB, string Group, string Image)> PrepareAsync(MotoServer moto)
    {
        using var ec2 = moto.Ec2();
        var tag = $"c-{Guid.NewGuid():N}";
        var discovery = new List<Tag> { new("karpenter.sh/discovery", tag) };
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.1.0.0/16" })).Vpc.VpcId;
        async Task<string> Subnet(string cidr, string zone, bool tagged) => (await ec2.CreateSubnetAsync(new CreateSubnetRequest
        {
            VpcId = vpc, CidrBlock = cidr, AvailabilityZone = zone,
            TagSpecifications = tagged ? [new TagSpecification { ResourceType = Amazon.EC2.ResourceType.Subnet, Tags = discovery }] : null,
        })).Subnet.SubnetId;
        var a = await Subnet("10.1.1.0/24", "us-east-1a", true);
        var b = await Subnet("10.1.2.0/24", "us-east-1b", true);
        _ = await Subnet("10.1.3.0/24", "us-east-1c", false);
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = $"nodes-{tag}", Description = "nodes", VpcId = vpc,
            TagSpecifications = [new TagSpecification { ResourceType = Amazon.EC2.ResourceType.SecurityGroup, Tags = discovery }],
        })).GroupId;
        var image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest())).Images![0].ImageId;
        return (tag, a, b, group, image);
    }

    /// <summary>A node class named <paramref name="name"/> selecting the tagged network, with a role and one AMI term (and the AL2023 family where the term is no alias).</summary>
    public static EC2NodeClass Create(string tag, AmiSelectorTerm ami, string name = "gpu") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = 1 },
        Spec = new EC2NodeClassSpec
        {
            Role = "node-role",
            AmiSelectorTerms = [ami],
            AmiFamily = ami.Alias is null ? "AL2023" : null, // Karpenter's rule: a class without an alias names its family
            SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = tag } }],
            SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = tag } }],
        },
    };
}
