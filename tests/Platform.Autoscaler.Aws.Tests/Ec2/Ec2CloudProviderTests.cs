using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Aws.Tests.Ec2;

public sealed class Ec2CloudProviderTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Cluster = "gpu-test";

    private static LaunchAttempt Attempt(string nodeClaim, string capacityType = "on-demand") => new(nodeClaim, "general", "default", capacityType,
    [
        new LaunchOption("m5.large", "us-east-1a", capacityType, 0.096),
        new LaunchOption("m5.large", "us-east-1b", capacityType, 0.096),
        new LaunchOption("m5.xlarge", "us-east-1a", capacityType, 0.192),
    ]);

    private async Task<NodeClassLaunchSettings> PrepareAsync(IAmazonEC2 ec2)
    {
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        var a = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.0.1.0/24", AvailabilityZone = "us-east-1a" })).Subnet.SubnetId;
        var b = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.0.2.0/24", AvailabilityZone = "us-east-1b" })).Subnet.SubnetId;
        var image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest())).Images![0].ImageId;
        var name = $"lt-{Guid.NewGuid():N}";
        await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            LaunchTemplateData = new RequestLaunchTemplateData
            {
                ImageId = image,
                MetadataOptions = new LaunchTemplateInstanceMetadataOptionsRequest { HttpTokens = LaunchTemplateHttpTokensState.Required },
            },
        });
        return new NodeClassLaunchSettings(name, new Dictionary<string, string> { ["us-east-1a"] = a, ["us-east-1b"] = b });
    }

    private static Ec2CloudProvider Provider(IAmazonEC2 ec2, NodeClassLaunchSettings settings) =>
        new(ec2, Cluster, (_, _) => Task.FromResult(settings), _ => Task.FromResult(new InstanceCatalog("us-east-1", "test", [])));

    [MotoFact]
    public async Task Create_LaunchesOneTaggedInstanceInAnOfferedZone()
    {
        using var ec2 = moto.Ec2();
        var provider = Provider(ec2, await PrepareAsync(ec2));
        var claim = $"general-{Guid.NewGuid():N}";
        var instance = await provider.CreateAsync(Attempt(claim), CancellationToken.None);
        Assert.Equal(claim, instance.NodeClaim);
        Assert.Contains(instance.Zone, new[] { "us-east-1a", "us-east-1b" });
        Assert.StartsWith($"aws:///{instance.Zone}/i-", instance.ProviderId, StringComparison.Ordinal);
        var described = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instance.ProviderId.Split('/')[^1]] })).Reservations![0].Instances![0];
        var tags = described.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("owned", tags[Ec2Tags.Cluster(Cluster)]);
        Assert.Equal("general", tags[Ec2Tags.NodePool]);
        Assert.Equal(claim, tags[Ec2Tags.NodeClaim]);
        Assert.Contains(await provider.ListAsync(CancellationToken.None), i => i.ProviderId == instance.ProviderId);
    }

    [MotoFact]
    public async Task Create_RetriedForOneNodeClaim_NeverMakesASecondInstance()
    {
        using var ec2 = moto.Ec2();
        var provider = Provider(ec2, await PrepareAsync(ec2));
        var claim = $"general-{Guid.NewGuid():N}";
        var first = await provider.CreateAsync(Attempt(claim), CancellationToken.None);
        var second = await provider.CreateAsync(Attempt(claim), CancellationToken.None);
        Assert.Equal(first.ProviderId, second.ProviderId);
        Assert.Single(await provider.ListAsync(CancellationToken.None), i => i.NodeClaim == claim);
    }

    [MotoFact]
    public async Task Delete_TerminatesAndUnknownInstanceIsNotFound()
    {
        using var ec2 = moto.Ec2();
        var provider = Provider(ec2, await PrepareAsync(ec2));
        var instance = await provider.CreateAsync(Attempt($"general-{Guid.NewGuid():N}"), CancellationToken.None);
        await provider.DeleteAsync(instance.ProviderId, CancellationToken.None);
        Assert.False((await provider.GetAsync(instance.ProviderId, CancellationToken.None)).Running);
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => provider.DeleteAsync("aws:///us-east-1a/i-0123456789abcdef0", CancellationToken.None));
    }

    // Karpenter's unfulfillableCapacityErrorCodes (aws/karpenter-provider-aws pkg/errors/errors.go): the offering is
    // marked unavailable and the launch moves on to the next one, instead of retrying the same one.
    [MotoTheory]
    [InlineData("InsufficientInstanceCapacity")]
    [InlineData("MaxSpotInstanceCountExceeded")]
    [InlineData("VcpuLimitExceeded")]
    [InlineData("UnfulfillableCapacity")]
    [InlineData("Unsupported")]
    [InlineData("InsufficientFreeAddressesInSubnet")]
    [InlineData("ReservationCapacityExceeded")]
    public async Task Create_FleetReportsACapacityError_TypedErrorNamesTheOfferings(string code)
    {
        using var setup = moto.Ec2();
        var settings = await PrepareAsync(setup);
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["CreateFleet"] = _ => (200, $"""
            <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-1</requestId><fleetId>fleet-00000000-0000-0000-0000-000000000001</fleetId>
              <errorSet><item>
                <launchTemplateAndOverrides><overrides><instanceType>m5.large</instanceType><subnetId>{settings.SubnetsByZone["us-east-1a"]}</subnetId></overrides></launchTemplateAndOverrides>
                <lifecycle>spot</lifecycle><errorCode>{code}</errorCode><errorMessage>We currently do not have sufficient m5.large capacity.</errorMessage>
              </item></errorSet>
              <fleetInstanceSet/>
            </CreateFleetResponse>
            """);
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        var provider = Provider(ec2, settings);
        var error = await Assert.ThrowsAsync<InsufficientCapacityException>(() => provider.CreateAsync(Attempt($"general-{Guid.NewGuid():N}", "spot"), CancellationToken.None));
        Assert.Equal([new OfferingKey("m5.large", "us-east-1a", "spot")], error.Offerings);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    [MotoFact]
    public async Task Create_FleetReportsANonCapacityError_LaunchFailedNotInsufficientCapacity()
    {
        using var setup = moto.Ec2();
        var settings = await PrepareAsync(setup);
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["CreateFleet"] = _ => (200, """
            <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-2</requestId><fleetId>fleet-00000000-0000-0000-0000-000000000002</fleetId>
              <errorSet><item>
                <lifecycle>on-demand</lifecycle><errorCode>InvalidLaunchTemplateName.NotFoundException</errorCode><errorMessage>The specified launch template does not exist.</errorMessage>
              </item></errorSet>
              <fleetInstanceSet/>
            </CreateFleetResponse>
            """);
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        var provider = Provider(ec2, settings);
        var error = await Assert.ThrowsAsync<LaunchFailedException>(() => provider.CreateAsync(Attempt($"general-{Guid.NewGuid():N}"), CancellationToken.None));
        Assert.Contains("InvalidLaunchTemplateName.NotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientToken_SameForRetriesOfOneNodeClaimTier_DiffersAcrossTiers()
    {
        Assert.Equal(Ec2CloudProvider.ClientToken(Attempt("a")), Ec2CloudProvider.ClientToken(Attempt("a")));
        Assert.NotEqual(Ec2CloudProvider.ClientToken(Attempt("a")), Ec2CloudProvider.ClientToken(Attempt("a", "spot")));
        Assert.True(Ec2CloudProvider.ClientToken(Attempt("a")).Length <= 64);
    }
}
