using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>
/// A pod deleted without the Eviction API is a breach, except once its NodeClaim's terminationGracePeriod has run
/// out during termination: Karpenter then deletes what PDBs or do-not-disrupt still hold, and so do we.
/// </summary>
public sealed class TerminationGracePeriodTests
{
    // One spot node running one web pod whose PDB never allows an eviction; the node is interrupted at 20m and its
    // NodeClaim gives pods 1m, less than spot's 2-minute notice, so the pod is deleted before the instance goes.
    private const string BlockedByPdb = """
        name: tgp
        duration: 40m
        step: 10s
        manifests: |
          apiVersion: karpenter.sh/v1
          kind: NodePool
          metadata:
            name: spot
          spec:
            template:
              spec:
                requirements:
                  - key: karpenter.sh/capacity-type
                    operator: In
                    values: ["spot"]
                  - key: karpenter.k8s.aws/instance-category
                    operator: In
                    values: ["m"]
                nodeClassRef:
                  group: karpenter.k8s.aws
                  kind: EC2NodeClass
                  name: default
                terminationGracePeriod: 1m
          ---
          apiVersion: karpenter.k8s.aws/v1
          kind: EC2NodeClass
          metadata:
            name: default
          spec:
            role: node
            amiSelectorTerms:
              - alias: al2023@latest
            subnetSelectorTerms:
              - tags: { a: b }
            securityGroupSelectorTerms:
              - tags: { a: b }
          ---
          apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata:
            name: web
            namespace: default
          spec:
            minAvailable: 1
            selector:
              matchLabels:
                app: web
        workloads:
          - kind: Deployment
            name: web
            replicas:
              - { at: 0h, count: 1 }
            template:
              metadata:
                labels:
                  app: web
              spec:
                containers:
                  - name: web
                    image: nginx
                    resources: { requests: { cpu: 500m, memory: 1Gi } }
        faults:
          - kind: SpotInterruption
            at: 20m
            count: 1
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Simulate_PdbBlocksEvictionUntilGracePeriodRunsOut_PodIsDeletedWithoutViolation()
    {
        var (scenario, errors) = ScenarioReader.Read("tgp.yaml", BlockedByPdb);
        Assert.Empty(errors);

        var result = await Simulator.RunAsync(scenario!, ScenarioKit.Catalog, false, null, null, CancellationToken.None);

        Assert.Equal(1, result.InterruptionsHandled);
        Assert.Contains(result.Decisions, d => d.Contains(" termination delete-pod Pod/default/web-", StringComparison.Ordinal));
        Assert.Empty(result.Violations);
        Assert.Equal(0, result.PodsUnplaced);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public async Task DeletePod_ByClaimDeletedMinutesAgo_CountsUnlessGracePeriodRanOut(int? claimDeletedMinutesAgo, bool counts)
    {
        var (clock, cluster, world) = await OneNodeAsync(gracePeriod: "5m", claimDeletedMinutesAgo, annotations: null);

        await cluster.DeletePodAsync("default", "web", CancellationToken.None);

        Assert.Empty(cluster.Snapshot().Pods);
        if (counts)
        {
            Assert.Equal($"{clock.GetUtcNow():u}: pod default/web was deleted without the Eviction API", Assert.Single(world.Violations));
        }
        else
        {
            Assert.Empty(world.Violations);
        }
    }

    [Fact]
    public async Task DeletePod_ClaimHasNoGracePeriod_Counts()
    {
        var (_, cluster, world) = await OneNodeAsync(gracePeriod: null, claimDeletedMinutesAgo: 60, annotations: null);

        await cluster.DeletePodAsync("default", "web", CancellationToken.None);

        Assert.Contains("deleted without the Eviction API", Assert.Single(world.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePod_DoNotDisruptPodAfterGracePeriod_IsNoViolation()
    {
        var annotations = new Dictionary<string, string> { [WellKnownAnnotations.DoNotDisrupt] = "true" };
        var (_, cluster, world) = await OneNodeAsync(gracePeriod: "5m", claimDeletedMinutesAgo: 5, annotations);

        await cluster.DeletePodAsync("default", "web", CancellationToken.None);

        Assert.Empty(world.Violations);
    }

    [Fact]
    public async Task DeletePod_DoNotDisruptPodBeforeGracePeriod_CountsBothBreaches()
    {
        var annotations = new Dictionary<string, string> { [WellKnownAnnotations.DoNotDisrupt] = "true" };
        var (_, cluster, world) = await OneNodeAsync(gracePeriod: "5m", claimDeletedMinutesAgo: 1, annotations);

        await cluster.DeletePodAsync("default", "web", CancellationToken.None);

        Assert.Equal(2, world.Violations.Count);
    }

    /// <summary>A world with one node, its NodeClaim (deleted some minutes ago, or not), and a pod bound to it.</summary>
    private static async Task<(VirtualClock Clock, InMemoryCluster Cluster, SimulatedWorld World)> OneNodeAsync(
        string? gracePeriod, int? claimDeletedMinutesAgo, Dictionary<string, string>? annotations)
    {
        var (scenario, errors) = ScenarioReader.Read("tgp.yaml", BlockedByPdb);
        Assert.Empty(errors);
        var clock = new VirtualClock(Start);
        var cluster = new InMemoryCluster(clock);
        var world = new SimulatedWorld(scenario!, cluster, new InMemoryCloud(ScenarioKit.Catalog, clock), clock, ScenarioKit.Catalog, null, _ => null);
        const string providerId = "aws:///us-east-1a/i-0123456789abcdef0";
        cluster.Apply(new V1Node { Metadata = new V1ObjectMeta { Name = "node-a" }, Spec = new V1NodeSpec { ProviderID = providerId } });
        await cluster.CreateNodeClaimAsync(new NodeClaim
        {
            Metadata = new V1ObjectMeta { Name = "spot-abcde", Finalizers = [WellKnownAnnotations.TerminationFinalizer] },
            Spec = new NodeClaimSpec { TerminationGracePeriod = gracePeriod },
        }, CancellationToken.None);
        await cluster.UpdateNodeClaimStatusAsync("spot-abcde", new NodeClaimStatus { ProviderID = providerId }, CancellationToken.None);
        cluster.Apply(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Annotations = annotations },
            Spec = new V1PodSpec { NodeName = "node-a" },
        });
        if (claimDeletedMinutesAgo is { } minutes)
        {
            await cluster.DeleteNodeClaimAsync("spot-abcde", CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(minutes));
        }

        return (clock, cluster, world);
    }
}
