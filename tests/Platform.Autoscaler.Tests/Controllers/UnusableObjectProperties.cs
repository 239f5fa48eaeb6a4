using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;
using Platform.Autoscaler.Core.Tests.TestKit;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// One object the autoscaler cannot use (a duration beyond Go's, a quantity beyond 64 bits or below zero) in an
/// otherwise healthy cluster: it is skipped and named, and every other pool and pod is planned as before. One such
/// NodePool used to fail every provisioning pass for all pools.
/// </summary>
public sealed class UnusableObjectProperties
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    private static readonly string[] BadDurations = ["2562048h", "99999999999h", "9223372036854775808s", "153722868m", "99999999999999999999999h"];
    // Beyond what a pod may ask for on any node (2^50 base units), or negative.
    private static readonly string[] BadQuantities = ["-1", "-4", "1e29", "10000000000000000", "9223372036854775807", "1e19", "-0.5", "8Ei"];

    // Limits: beyond 64 bits of base units (cpu counts millicores), or negative; a 10P memory limit is fine.
    private static readonly string[] BadCpuLimits = ["-1", "-4", "1e29", "10000000000000000", "9223372036854775807", "1e19", "-0.5"];
    private static readonly string[] BadMemoryLimits = ["-1", "1e29", "1e19", "8Ei", "-0.5", "9223372036854775808"];

    [Fact]
    public void Build_OneBadObjectInAHealthyCluster_ItIsSkippedAndNamed_EveryOtherPodIsPlanned() =>
        Properties.Check(runs: 25, regressions: [978640203], seed =>
        {
            var random = new Random(seed);
            var (snapshot, badKind, badName) = Mutate(Healthy(), random);
            var view = ClusterView.Build(snapshot, Catalog, new ResolvedTypes(), new HashSet<(string, string, string)>(), new ObjectChecks());
            var plan = Scheduler.Solve(new SchedulingInput(view.Provisionable, view.SchedulingNodes, view.Pools));

            var described = $"seed {seed}: {badKind}/{badName}: {Describe(snapshot, badKind, badName)}";
            Assert.True(view.Unusable.Count == 1, $"{described}: unusable [{string.Join("; ", view.Unusable)}]");
            var skipped = view.Unusable[0];
            Assert.Equal((badKind, badName), (skipped.Kind, skipped.Name));
            Assert.False(string.IsNullOrWhiteSpace(skipped.Reason));
            var expected = snapshot.Pods.Select(p => p.Metadata.Name).Where(n => badKind != "Pod" || n != badName).Order(StringComparer.Ordinal);
            Assert.Equal(expected, plan.Placements.Select(p => p.Pod.Name).Order(StringComparer.Ordinal));
            Assert.Empty(plan.Unplaced);
            Assert.DoesNotContain(plan.NodeClaims, c => badKind == NodePool.KindName && c.NodePool == badName);
            return true;
        });

    [Fact]
    public async Task Controllers_UnusablePoolAndPod_EveryPassRuns_TheOthersGetNodes_AndEachIsReportedOnce()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var metrics = new AutoscalerMetrics();
        var cloud = new InMemoryCloud(Catalog, clock);
        var controllers = new AutoscalerControllers(new ControllerContext(cluster, cloud, clock, new ControllerOptions(), metrics, NullLogger.Instance));
        var healthy = Healthy();
        cluster.Apply(healthy.NodeClasses[0]);
        cluster.Apply(healthy.NodePools[0] with { Spec = healthy.NodePools[0].Spec! with { Disruption = new Disruption { ConsolidateAfter = "99999999999h" } } });
        cluster.Apply(healthy.NodePools[1]);
        foreach (var pod in healthy.Pods)
        {
            cluster.Apply(pod);
        }

        var bad = Pod("huge", cpu: "10000000000000000");
        cluster.Apply(bad);
        for (var i = 0; i < 30; i++)
        {
            await controllers.RunOnceAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.All(cloud.All, instance => Assert.StartsWith("b-", instance.NodeClaim, StringComparison.Ordinal));
        Assert.NotEmpty(cloud.All);
        Assert.Single(cluster.Events, e => e is { Reason: "Unusable", Kind: "NodePool", Name: "a" });
        Assert.Single(cluster.Events, e => e is { Reason: "Unusable", Kind: "Pod", Name: "huge" } && e.Message.Contains("spec.containers[0].resources.requests[cpu]", StringComparison.Ordinal));
        var exported = await metrics.ExportAsync(CancellationToken.None);
        Assert.Contains("autoscaler_unusable_objects{kind=\"NodePool\"} 1", exported, StringComparison.Ordinal);
        Assert.Contains("autoscaler_unusable_objects{kind=\"Pod\"} 1", exported, StringComparison.Ordinal);
    }

    private static string Describe(ClusterSnapshot snapshot, string kind, string name) => kind switch
    {
        NodePool.KindName => k8s.KubernetesJson.Serialize(snapshot.NodePools.Single(p => p.Metadata.Name == name).Spec),
        "Pod" => k8s.KubernetesJson.Serialize(snapshot.Pods.Single(p => p.Metadata.Name == name).Spec.Containers[0].Resources),
        _ => k8s.KubernetesJson.Serialize(snapshot.DaemonSets[0].Spec.Template.Spec.Containers[0].Resources),
    };

    private static ClusterSnapshot Healthy()
    {
        var pods = Enumerable.Range(0, 6).Select(i => Pod($"p{i}", cpu: "1", memory: "2Gi")).ToList();
        var daemonSet = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "kube-system" },
            Spec = new V1DaemonSetSpec { Template = new V1PodTemplateSpec { Spec = Pod("agent", cpu: "100m", memory: "128Mi").Spec } },
        };
        return ClusterSnapshot.Empty with
        {
            NodeClasses = [NodeClass("default")],
            NodePools = [Pool("a", "default", 50), Pool("b", "default", 10)],
            Pods = pods,
            DaemonSets = [daemonSet],
        };
    }

    private static (ClusterSnapshot Snapshot, string Kind, string Name) Mutate(ClusterSnapshot healthy, Random random)
    {
        string Pick(string[] values) => values[random.Next(values.Length)];
        switch (random.Next(4))
        {
            case 0:
            {
                // A pool's duration: consolidateAfter, expireAfter, terminationGracePeriod or a budget's.
                var pool = healthy.NodePools[random.Next(2)];
                var spec = pool.Spec!;
                var template = spec.Template!.Spec!;
                spec = random.Next(4) switch
                {
                    0 => spec with { Disruption = new Disruption { ConsolidateAfter = Pick(BadDurations) } },
                    1 => spec with { Template = spec.Template with { Spec = template with { ExpireAfter = Pick(BadDurations) } } },
                    2 => spec with { Template = spec.Template with { Spec = template with { TerminationGracePeriod = Pick(BadDurations) } } },
                    _ => spec with { Disruption = new Disruption { ConsolidateAfter = "1m", Budgets = [new Budget { Nodes = "1", Schedule = "@daily", Duration = "153722868m" }] } },
                };
                return (healthy with { NodePools = [.. healthy.NodePools.Select(p => p == pool ? p with { Spec = spec } : p)] }, NodePool.KindName, pool.Metadata.Name);
            }

            case 1:
            {
                var pool = healthy.NodePools[random.Next(2)];
                var limits = random.Next(2) == 0
                    ? new Dictionary<string, ResourceQuantity> { ["cpu"] = new(Pick(BadCpuLimits)) }
                    : new Dictionary<string, ResourceQuantity> { ["memory"] = new(Pick(BadMemoryLimits)) };
                return (healthy with { NodePools = [.. healthy.NodePools.Select(p => p == pool ? p with { Spec = p.Spec! with { Limits = limits } } : p)] }, NodePool.KindName, pool.Metadata.Name);
            }

            case 2:
            {
                var index = random.Next(healthy.Pods.Count);
                var name = healthy.Pods[index].Metadata.Name;
                var bad = random.Next(3) switch
                {
                    0 => Pod(name, cpu: Pick(BadQuantities)),
                    1 => Pod(name, memory: Pick(BadQuantities)),
                    _ => Pod(name, cpu: Pick(BadQuantities), memory: Pick(BadQuantities)),
                };

                return (healthy with { Pods = [.. healthy.Pods.Select((p, i) => i == index ? bad : p)] }, "Pod", bad.Metadata.Name);
            }

            default:
            {
                var daemonSet = healthy.DaemonSets[0];
                var spec = Pod("agent", cpu: Pick(BadQuantities), memory: "128Mi").Spec;
                return (healthy with { DaemonSets = [new V1DaemonSet { Metadata = daemonSet.Metadata, Spec = new V1DaemonSetSpec { Template = new V1PodTemplateSpec { Spec = spec } } }] }, "DaemonSet", "agent");
            }
        }
    }
}
