using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace Platform.Infra.Tests;

/// <summary>
/// Answers for the AWS, EKS and Kubernetes resource types and the five invokes the program uses; anything else is an
/// error. Outputs the program reads (ARNs, queue URL, kubeconfig, the cluster security group, endpoint and service
/// CIDR) get fake values.
/// </summary>
internal sealed class AwsMocks : IMocks
{
    /// <summary>The API server URL getCluster answers.</summary>
    public const string Endpoint = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com";

    /// <summary>The service CIDR getCluster answers: what EKS picks for a VPC in 10.0.0.0/8, unlike the autoscaler's default.</summary>
    public const string ServiceCidr = "172.20.0.0/16";

    private const string Account = "123456789012";

    private static readonly ImmutableHashSet<string> KnownPrefixes =
    [
        "aws:ec2/", "aws:iam/", "aws:sqs/", "aws:cloudwatch/", "aws:eks/", "eks:index:", "platform:", "kubernetes:", "pulumi:providers:",
    ];

    private static readonly ImmutableHashSet<string> Known =
    [
        "aws:ec2/vpc:Vpc", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable",
        "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway", "aws:ec2/tag:Tag",
        "aws:iam/role:Role", "aws:iam/serviceLinkedRole:ServiceLinkedRole", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/instanceProfile:InstanceProfile",
        "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy", "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget",
        "aws:eks/addon:Addon", "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        "eks:index:Cluster", "eks:index:ManagedNodeGroup", "pulumi:providers:kubernetes",
        "platform:aws:Network", "platform:aws:InterruptionQueue", "platform:aws:Iam", "platform:aws:Cluster",
    ];

    public ConcurrentBag<MockResourceArgs> Registered { get; } = [];

    /// <summary>The roles getRoles lists under the EC2 Spot service-linked role's path (none: a fresh account).</summary>
    public ImmutableArray<object> SpotRoles { get; init; } = [];

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        var type = args.Type!;
        // The in-cluster layer has its own mock tests; here its types only need to be ones it declares.
        if (!Known.Contains(type) && !(type.StartsWith("kubernetes:", StringComparison.Ordinal) || type.StartsWith("platform:kubernetes:", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"unexpected resource type {type} ({args.Name}); add it to the mocks with a test");
        }

        Registered.Add(args);
        var state = args.Inputs.ToBuilder();
        var name = args.Inputs.TryGetValue("name", out var n) ? n as string ?? args.Name! : args.Name!;
        switch (type)
        {
            case "aws:iam/role:Role":
                state["arn"] = $"arn:aws:iam::{Account}:role/{name}";
                state["name"] = name;
                break;
            case "aws:iam/instanceProfile:InstanceProfile":
                state["name"] = name;
                break;
            case "aws:sqs/queue:Queue":
                state["arn"] = $"arn:aws:sqs:us-east-1:{Account}:{name}";
                state["url"] = $"https://sqs.us-east-1.amazonaws.com/{Account}/{name}";
                break;
            case "aws:cloudwatch/eventRule:EventRule":
                state["name"] = name;
                break;
            case "eks:index:Cluster":
                state["kubeconfigJson"] = "{\"apiVersion\":\"v1\",\"kind\":\"Config\"}";
                state["oidcProviderArn"] = $"arn:aws:iam::{Account}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/TEST";
                break;
        }

        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "aws:index/getAvailabilityZones:getAvailabilityZones" => ImmutableDictionary<string, object>.Empty
            .Add("names", ImmutableArray.Create<object>("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"))
            .Add("zoneIds", ImmutableArray.Create<object>("use1-az1", "use1-az2", "use1-az4", "use1-az6"))
            .Add("id", "us-east-1").Add("region", "us-east-1"),
        "aws:index/getPartition:getPartition" => ImmutableDictionary<string, object>.Empty
            .Add("partition", "aws").Add("dnsSuffix", "amazonaws.com").Add("id", "aws").Add("reverseDnsPrefix", "com.amazonaws"),
        "aws:index/getCallerIdentity:getCallerIdentity" => ImmutableDictionary<string, object>.Empty
            .Add("accountId", Account).Add("arn", $"arn:aws:iam::{Account}:user/ci").Add("id", Account).Add("userId", "AIDATEST"),
        "aws:eks/getCluster:getCluster" => ImmutableDictionary<string, object>.Empty
            .Add("name", args.Args["name"]).Add("id", args.Args["name"])
            .Add("endpoint", Endpoint)
            .Add("kubernetesNetworkConfigs", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty
                .Add("ipFamily", "ipv4").Add("serviceIpv4Cidr", ServiceCidr).Add("serviceIpv6Cidr", "")))
            .Add("vpcConfig", ImmutableDictionary<string, object>.Empty.Add("clusterSecurityGroupId", "sg-0123456789abcdef0")),
        "aws:iam/getRoles:getRoles" when Equals(args.Args.GetValueOrDefault("pathPrefix"), "/aws-service-role/spot.amazonaws.com/") =>
            ImmutableDictionary<string, object>.Empty.Add("names", SpotRoles).Add("id", "us-east-1")
                .Add("arns", ImmutableArray.CreateRange(SpotRoles.Select(r => (object)$"arn:aws:iam::{Account}:role/aws-service-role/spot.amazonaws.com/{r}"))),
        _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
    });

    public IEnumerable<MockResourceArgs> OfType(string type) => Registered.Where(r => r.Type == type);

    public ImmutableDictionary<string, object> Inputs(string type, string name) =>
        Registered.Single(r => r.Type == type && r.Name == name).Inputs;
}
