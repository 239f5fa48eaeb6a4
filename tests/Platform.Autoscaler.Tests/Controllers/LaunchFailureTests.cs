using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>A launch the cloud refuses for a reason other than capacity: retried with backoff, never blocking the others, given up after the registration TTL.</summary>
public sealed class LaunchFailureTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    [Fact]
    public async Task Launch_OneClaimRefused_OthersLaunch_ItBacksOff_AndIsReplacedAfterTheRegistrationTtl()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var cloud = new RefusingFirstClaim(new InMemoryCloud(Catalog, clock));
        var context = new ControllerContext(cluster, cloud, clock, new ControllerOptions(), new AutoscalerMetrics(), NullLogger.Instance);
        var controllers = new AutoscalerControllers(context);
        cluster.Apply(new EC2NodeClass
        {
            Metadata = new V1ObjectMeta { Name = "default", Generation = 1 },
            Spec = new EC2NodeClassSpec
            {
                Role = "node-role",
                AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
                SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "subnet-1" }],
                SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = "sg-1" }],
            },
        });
        cluster.Apply(new NodePool
        {
            Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new NodePoolSpec
            {
                Template = new NodeClaimTemplate
                {
                    Spec = new NodeClaimTemplateSpec
                    {
                        NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "default" },
                        Requirements = [new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceType, Operator = Operators.In, Values = ["m5.large"] }],
                    },
                },
            },
        });
        foreach (var name in new[] { "a", "b" })
        {
            // 1.5 cpu each: one m5.large holds one of them.
            cluster.Apply(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "c", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } } }],
                },
            });
        }

        async Task RunAsync(TimeSpan duration)
        {
            for (var end = clock.GetUtcNow() + duration; clock.GetUtcNow() < end; clock.Advance(TimeSpan.FromSeconds(1)))
            {
                await controllers.RunOnceAsync(CancellationToken.None);
            }
        }

        await RunAsync(TimeSpan.FromSeconds(20));

        // The other claim launched; the refused one was tried after gaps of 1, 2, 4, 8 s, not on each of ~18 passes.
        var launched = Assert.Single(cloud.Inner.All);
        Assert.NotEqual(cloud.Refused, launched.NodeClaim);
        Assert.InRange(cloud.Attempts, 4, 5);
        Assert.Single(cluster.Events, e => e.Reason == "LaunchFailed" && e.Name == cloud.Refused);

        await RunAsync(TimeSpan.FromMinutes(16));
        Assert.Contains(cluster.Events, e => e.Reason == "Liveness" && e.Name == cloud.Refused);
        Assert.Equal(2, cloud.Inner.All.Count(i => i.Running));
    }

    /// <summary>The in-memory cloud, refusing every launch of the first NodeClaim it is asked for.</summary>
    private sealed class RefusingFirstClaim(InMemoryCloud inner) : ICloudProvider
    {
        public InMemoryCloud Inner { get; } = inner;

        public string? Refused { get; private set; }

        public int Attempts { get; private set; }

        public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => Inner.GetCatalogAsync(cancellationToken);

        public Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken)
        {
            Refused ??= attempt.NodeClaim;
            if (attempt.NodeClaim != Refused)
            {
                return Inner.CreateAsync(attempt, cancellationToken);
            }

            Attempts++;
            throw new LaunchFailedException("InvalidLaunchTemplateName.NotFoundException: The specified launch template does not exist.");
        }

        public Task DeleteAsync(string providerId, CancellationToken cancellationToken) => Inner.DeleteAsync(providerId, cancellationToken);

        public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) => Inner.GetAsync(providerId, cancellationToken);

        public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) => Inner.ListAsync(cancellationToken);
    }
}
