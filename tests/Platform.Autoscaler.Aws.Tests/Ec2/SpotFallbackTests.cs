using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;
using CoreToleration = Platform.Autoscaler.Core.Model.Toleration;
using GpuInfo = Platform.Autoscaler.Core.Catalog.GpuInfo;
using InstanceTypeInfo = Platform.Autoscaler.Core.Catalog.InstanceTypeInfo;

namespace Platform.Autoscaler.Aws.Tests.Ec2;

/// <summary>
/// The seeds' tiers (g5 spot 100, g4dn spot 50, g5 on-demand 10) through the real EC2 adapter: moto launches,
/// the fault proxy answers CreateFleet with insufficient capacity for the exhausted families' spot offerings.
/// </summary>
public sealed class SpotFallbackTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b"];

    private static InstanceTypeInfo Type(string name, double price, string gpu) => new()
    {
        Name = name, Architecture = "amd64", VCpus = 4, MemoryMiB = 16384, Gpu = new GpuInfo(gpu, "nvidia", 1, 16384),
        MaxNetworkInterfaces = 4, Ipv4PerInterface = 15,
        Offerings = [.. Zones.SelectMany(z => new[] { new Offering(z, "on-demand", price), new Offering(z, "spot", price * 0.4) })],
    };

    private static readonly InstanceCatalog Catalog = new("us-east-1", "test", [Type("g5.xlarge", 1.006, "a10g"), Type("g4dn.xlarge", 0.526, "t4")]);

    private static NodePoolTemplate[] Tiers(InstanceCatalog catalog)
    {
        var types = catalog.InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t)).ToList();
        var taint = new Taint { Key = WellKnownTaints.NvidiaGpu, Effect = TaintEffects.NoSchedule };
        NodePoolTemplate Tier(string name, int weight, string family, string capacity) => new()
        {
            Name = name, Weight = weight, Taints = [taint], InstanceTypes = types,
            Requirements = new Requirements([Requirement.In(WellKnownLabels.InstanceFamily, family), Requirement.In(WellKnownLabels.CapacityType, capacity), Requirement.In(WellKnownLabels.NodePool, name)]),
        };
        return [Tier("g5-spot", 100, "g5", "spot"), Tier("g4dn-spot", 50, "g4dn", "spot"), Tier("g5-on-demand", 10, "g5", "on-demand")];
    }

    private static IReadOnlyList<Pod> Pods => [.. Enumerable.Range(0, 2).Select(i => new Pod
    {
        Namespace = "ml", Name = $"infer-{i}", Labels = new Dictionary<string, string> { ["app"] = "infer" },
        Requests = ResourceList.Of(("cpu", 1000), ("memory", 4L << 30), (WellKnownResources.NvidiaGpu, 1)),
        Tolerations = [new CoreToleration(WellKnownTaints.NvidiaGpu, "Exists", null, null)],
    })];

    private static string CapacityError(string type, IReadOnlyDictionary<string, string> subnets) => $"""
        <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><fleetId>fleet-1</fleetId><errorSet>
        {string.Join("", subnets.Values.Select(s => $"<item><launchTemplateAndOverrides><overrides><instanceType>{type}</instanceType><subnetId>{s}</subnetId></overrides></launchTemplateAndOverrides><lifecycle>spot</lifecycle><errorCode>InsufficientInstanceCapacity</errorCode><errorMessage>no capacity</errorMessage></item>"))}
        </errorSet><fleetInstanceSet/></CreateFleetResponse>
        """;

    /// <summary>Plans, launches every claim through its tiers, re-planning with what ran out, until all pods have nodes.</summary>
    private static async Task<List<(string Pool, CloudInstance Instance)>> ProvisionAsync(ICloudProvider cloud, UnavailableOfferings unavailable)
    {
        var launched = new List<(string, CloudInstance)>();
        var pending = Pods.ToList();
        for (var round = 0; round < 5 && pending.Count > 0; round++)
        {
            var plan = Scheduler.Solve(new SchedulingInput(pending, [], Tiers(Catalog.WithUnavailable(unavailable.Snapshot(Now)))));
            Assert.Empty(plan.Unplaced);
            foreach (var claim in plan.NodeClaims)
            {
                try
                {
                    launched.Add((claim.NodePool, await LaunchPlan.LaunchAsync(cloud, claim, "gpu", unavailable, () => Now, null, CancellationToken.None)));
                    pending.RemoveAll(p => claim.Pods.Contains(p));
                }
                catch (InsufficientCapacityException)
                {
                    // the exhausted offerings are marked; the next round plans around them
                }
            }
        }

        Assert.Empty(pending);
        return launched;
    }

    private async Task<(Ec2CloudProvider Provider, FaultProxy Proxy, IAmazonEC2 Client, IReadOnlyDictionary<string, string> Subnets)> SetUpAsync()
    {
        using var setup = moto.Ec2();
        var vpc = (await setup.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.2.0.0/16" })).Vpc.VpcId;
        var subnets = new Dictionary<string, string>();
        for (var i = 0; i < Zones.Length; i++)
        {
            subnets[Zones[i]] = (await setup.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = $"10.2.{i}.0/24", AvailabilityZone = Zones[i] })).Subnet.SubnetId;
        }

        var template = $"lt-{Guid.NewGuid():N}";
        var image = (await setup.DescribeImagesAsync(new DescribeImagesRequest())).Images![0].ImageId;
        await setup.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest { LaunchTemplateName = template, LaunchTemplateData = new RequestLaunchTemplateData { ImageId = image } });
        var proxy = new FaultProxy(moto.Endpoint);
        var client = new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        var settings = new NodeClassLaunchSettings(template, subnets);
        var provider = new Ec2CloudProvider(client, $"c-{Guid.NewGuid():N}", (_, _) => Task.FromResult(settings), _ => Task.FromResult(Catalog));
        return (provider, proxy, client, subnets);
    }

    private static void Exhaust(FaultProxy proxy, IReadOnlyDictionary<string, string> subnets, params string[] types) =>
        proxy.Faults["CreateFleet"] = body => types.FirstOrDefault(t => body.Contains($"InstanceType={t}", StringComparison.Ordinal)) is { } type
            && body.Contains("DefaultTargetCapacityType=spot", StringComparison.Ordinal)
                ? (200, CapacityError(type, subnets))
                : null;

    [MotoFact]
    public async Task NoG5Spot_PodsLandOnG4dnSpot()
    {
        var (provider, proxy, client, subnets) = await SetUpAsync();
        using var _ = proxy;
        using var __ = client;
        Exhaust(proxy, subnets, "g5.xlarge");
        var unavailable = new UnavailableOfferings();
        var launched = await ProvisionAsync(provider, unavailable);
        Assert.All(launched, l => Assert.Equal(("g4dn-spot", "g4dn.xlarge"), (l.Pool, l.Instance.InstanceType)));
        Assert.True(unavailable.IsUnavailable(new OfferingKey("g5.xlarge", "us-east-1a", "spot"), Now), "g5 spot was tried first and marked");
        Assert.Equal(2, launched.Count);
    }

    [MotoFact]
    public async Task NoG5NorG4dnSpot_PodsLandOnG5OnDemand()
    {
        var (provider, proxy, client, subnets) = await SetUpAsync();
        using var _ = proxy;
        using var __ = client;
        Exhaust(proxy, subnets, "g5.xlarge", "g4dn.xlarge");
        var unavailable = new UnavailableOfferings();
        var launched = await ProvisionAsync(provider, unavailable);
        Assert.True(unavailable.IsUnavailable(new OfferingKey("g4dn.xlarge", "us-east-1b", "spot"), Now), "g4dn spot was tried and marked");
        Assert.All(launched, l => Assert.Equal(("g5-on-demand", "g5.xlarge", "on-demand"), (l.Pool, l.Instance.InstanceType, l.Instance.CapacityType)));
        Assert.Equal(2, launched.Count);
    }

    [MotoFact]
    public async Task NoSpotServiceLinkedRole_SpotIsUnavailableEverywhere_PodsLandOnG5OnDemand()
    {
        var (provider, proxy, client, _) = await SetUpAsync();
        using var _ = proxy;
        using var __ = client;
        // A fresh account: spot launches fail until AWSServiceRoleForEC2Spot exists, whatever the type.
        proxy.Faults["CreateFleet"] = body => body.Contains("DefaultTargetCapacityType=spot", StringComparison.Ordinal)
            ? (200, """
                <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><fleetId>fleet-2</fleetId><errorSet><item>
                <lifecycle>spot</lifecycle><errorCode>AuthFailure.ServiceLinkedRoleCreationNotPermitted</errorCode>
                <errorMessage>The provided credentials do not have permission to create the service-linked role for EC2 Spot Instances.</errorMessage>
                </item></errorSet><fleetInstanceSet/></CreateFleetResponse>
                """)
            : null;
        var unavailable = new UnavailableOfferings();

        var launched = await ProvisionAsync(provider, unavailable);

        Assert.All(launched, l => Assert.Equal(("g5-on-demand", "g5.xlarge", "on-demand"), (l.Pool, l.Instance.InstanceType, l.Instance.CapacityType)));
        // Every spot offering of the catalog was marked by the first refusal, so g4dn spot was never tried.
        Assert.All(Catalog.InstanceTypes.SelectMany(t => Zones.Select(z => new OfferingKey(t.Name, z, "spot"))), o => Assert.True(unavailable.IsUnavailable(o, Now), $"{o} still offered"));
        Assert.Equal(1, proxy.Actions.Count(a => a == "CreateFleet") - launched.Count);
    }
}
