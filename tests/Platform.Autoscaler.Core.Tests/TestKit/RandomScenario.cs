using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>A random but reproducible batch of pods and pools; the seed is all it takes to replay one.</summary>
internal sealed record RandomScenario(int Seed, IReadOnlyList<Pod> Pods, IReadOnlyList<NodePoolTemplate> Pools, bool Constrained)
{
    public static RandomScenario Create(int seed, bool withLimits, bool withTopology)
    {
        var random = new Random(seed);
        var pools = new List<NodePoolTemplate>
        {
            Fake.Pool("general", weight: random.Next(1, 100), requirements: random.Next(2) == 0 ? [] : [Requirement.In(WellKnownLabels.CapacityType, "on-demand")],
                limits: withLimits ? ResourceList.Of(("cpu", random.Next(4, 64) * 1000L)) : null,
                daemons: ResourceList.Of(("cpu", random.Next(0, 4) * 100L)),
                taints: random.Next(4) == 0 ? [new Taint { Key = "prefer-not", Value = "true", Effect = TaintEffects.PreferNoSchedule }] : []),
            Fake.Pool("gpu", weight: random.Next(1, 100), taints: [Fake.GpuTaint],
                limits: withLimits ? ResourceList.Of((WellKnownResources.NvidiaGpu, random.Next(1, 16))) : null),
        };
        var pods = new List<Pod>();
        var count = random.Next(1, 60);
        for (var i = 0; i < count; i++)
        {
            var gpus = random.Next(5) == 0 ? random.Next(1, 5) : 0;
            var pod = Fake.Pod($"p{i}", random.Next(1, 40) * 100, random.Next(1, 24), gpus, new Dictionary<string, string> { ["app"] = $"a{random.Next(3)}" });
            if (random.Next(4) == 0)
            {
                pod = pod with { NodeRequirements = [new Requirements([Requirement.In(WellKnownLabels.Zone, Fake.Zones[random.Next(3)])])] };
            }

            if (random.Next(4) == 0)
            {
                pod = pod with { PreferredNodeTerms = [new PreferredNodeTerm(random.Next(1, 101), new Requirements([Requirement.In(WellKnownLabels.Zone, Fake.Zones[random.Next(3)])]))] };
            }

            if (withTopology && random.Next(3) == 0)
            {
                var selector = LabelSelector.Of(("app", pod.Labels["app"]));
                pod = random.Next(3) switch
                {
                    0 => pod with { TopologySpread = [new TopologySpread(random.Next(2) == 0 ? WellKnownLabels.Zone : WellKnownLabels.Hostname, random.Next(1, 3), true, selector, random.Next(3) == 0 ? random.Next(2, 5) : null)] },
                    1 => pod with { AntiAffinity = [new PodAffinityTerm(WellKnownLabels.Hostname, selector, [])] },
                    _ => pod with { Affinity = [new PodAffinityTerm(WellKnownLabels.Zone, selector, [])] },
                };
            }

            pods.Add(pod);
        }

        return new RandomScenario(seed, pods, pools, withTopology);
    }

    public Plan Solve() => Scheduler.Solve(new SchedulingInput(Pods, [], Pools));

    public override string ToString() => $"seed {Seed}: {Pods.Count} pods";
}
