using System.Collections.Immutable;
using Platform.Infra.Blueprint.Network;
using Pulumi;
using Pulumi.Aws.Ec2;
using Pulumi.Aws.Ec2.Inputs;

namespace Platform.Infra;

/// <summary>The VPC: public and private subnets per AZ with their ELB, discovery and EFA tags, an internet gateway, NAT.</summary>
public sealed class Network : ComponentResource
{
    public Network(string name, NetworkArgs args, ComponentResourceOptions? options = null)
        : base("platform:aws:Network", name, options)
    {
        var plan = args.Plan;
        var child = new CustomResourceOptions { Parent = this };
        var vpc = new Vpc(name, new VpcArgs
        {
            CidrBlock = plan.VpcCidr,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            Tags = plan.VpcTags.ToDictionary(),
        }, child);
        var internetGateway = new InternetGateway(name, new InternetGatewayArgs { VpcId = vpc.Id, Tags = plan.VpcTags.ToDictionary() }, child);

        var subnets = plan.Subnets.ToDictionary(s => s.Name, s => new Subnet(s.Name, new SubnetArgs
        {
            VpcId = vpc.Id,
            AvailabilityZone = s.AvailabilityZone,
            CidrBlock = s.Cidr,
            MapPublicIpOnLaunch = false,
            Tags = s.Tags.ToDictionary(),
        }, child));

        var publicRoutes = new RouteTable($"{name}-public", new RouteTableArgs
        {
            VpcId = vpc.Id,
            Routes = { new RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", GatewayId = internetGateway.Id } },
            Tags = plan.VpcTags.SetItem("Name", $"{name}-public").ToDictionary(),
        }, child);
        foreach (var subnet in plan.PublicSubnets)
        {
            _ = new RouteTableAssociation(subnet.Name, new RouteTableAssociationArgs { SubnetId = subnets[subnet.Name].Id, RouteTableId = publicRoutes.Id }, child);
        }

        var privateRoutes = plan.NatGateways.Select((publicSubnet, i) =>
        {
            var eip = new Eip($"{name}-nat-{i}", new EipArgs { Domain = "vpc", Tags = plan.VpcTags.ToDictionary() },
                new CustomResourceOptions { Parent = this, DependsOn = [internetGateway] });
            var nat = new NatGateway($"{name}-nat-{i}", new NatGatewayArgs
            {
                AllocationId = eip.Id,
                SubnetId = subnets[publicSubnet].Id,
                Tags = plan.VpcTags.SetItem("Name", $"{name}-nat-{i}").ToDictionary(),
            }, child);
            return new RouteTable($"{name}-private-{i}", new RouteTableArgs
            {
                VpcId = vpc.Id,
                Routes = { new RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", NatGatewayId = nat.Id } },
                Tags = plan.VpcTags.SetItem("Name", $"{name}-private-{i}").ToDictionary(),
            }, child);
        }).ToList();
        foreach (var subnet in plan.PrivateSubnets)
        {
            _ = new RouteTableAssociation(subnet.Name, new RouteTableAssociationArgs { SubnetId = subnets[subnet.Name].Id, RouteTableId = privateRoutes[subnet.NatIndex!.Value].Id }, child);
        }

        VpcId = vpc.Id;
        PublicSubnetIds = Output.All(plan.PublicSubnets.Select(s => subnets[s.Name].Id)).Apply(ids => ids);
        PrivateSubnetIds = Output.All(plan.PrivateSubnets.Select(s => subnets[s.Name].Id)).Apply(ids => ids);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["vpcId"] = VpcId,
            ["publicSubnetIds"] = PublicSubnetIds,
            ["privateSubnetIds"] = PrivateSubnetIds,
        });
    }

    [Output("vpcId")]
    public Output<string> VpcId { get; private set; }

    [Output("publicSubnetIds")]
    public Output<ImmutableArray<string>> PublicSubnetIds { get; private set; }

    [Output("privateSubnetIds")]
    public Output<ImmutableArray<string>> PrivateSubnetIds { get; private set; }
}
