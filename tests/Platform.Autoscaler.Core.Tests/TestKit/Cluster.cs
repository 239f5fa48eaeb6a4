using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>Builds owned nodes of the fake catalog with pods on them, and disruption inputs around them.</summary>
internal static class Cluster
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero); // a Monday, 03:00 UTC

    public static NodeState Node(string name, string type, IEnumerable<Pod> pods, string pool = "general", string capacity = "on-demand",
        string zone = "test-zone-a", TimeSpan? age = null, TimeSpan? idle = null, bool drifted = false, bool doNotDisrupt = false,
        IReadOnlyList<InstanceType>? types = null)
    {
        var instance = (types ?? Fake.Catalog()).Single(t => t.Name == type);
        var offering = instance.Offerings.First(o => o.CapacityType == capacity && o.Zone == zone);
        var created = Now - (age ?? TimeSpan.FromDays(1));
        return new NodeState
        {
            Node = new ClusterNode
            {
                Name = name,
                NodePool = pool,
                Labels = new Dictionary<string, string>(instance.Labels)
                {
                    [WellKnownLabels.Zone] = zone,
                    [WellKnownLabels.CapacityType] = capacity,
                    [WellKnownLabels.NodePool] = pool,
                    [WellKnownLabels.Hostname] = name,
                },
                Allocatable = instance.Allocatable,
                Capacity = instance.Capacity,
                Pods = [.. pods],
                Price = offering.Price,
                Taints = pool == "gpu" ? [Fake.GpuTaint] : [],
            },
            NodePool = pool,
            NodeClaim = name + "-claim",
            InstanceType = type,
            CapacityType = capacity,
            Zone = zone,
            Price = offering.Price,
            CreatedAt = created,
            LastPodEventAt = Now - (idle ?? TimeSpan.FromHours(1)),
            Drifted = drifted,
            DoNotDisrupt = doNotDisrupt,
        };
    }

    public static DisruptionPolicy Policy(string pool = "general", string policy = ConsolidationPolicies.WhenEmptyOrUnderutilized,
        string consolidateAfter = "5m", string expireAfter = "720h", params Budget[] budgets) =>
        new(pool, policy, KarpenterDuration.Parse(consolidateAfter), KarpenterDuration.Parse(expireAfter), budgets.Length > 0 ? budgets : [new Budget { Nodes = "100%" }]);

    public static DisruptionInput Input(IEnumerable<NodeState> nodes, DisruptionPolicy? policy = null, IEnumerable<PodDisruptionBudget>? pdbs = null,
        NodePoolTemplate? pool = null)
    {
        var template = pool ?? Fake.Pool("general", requirements: [Requirement.In(WellKnownLabels.CapacityType, "on-demand")]);
        var p = policy ?? Policy(template.Name);
        return new DisruptionInput([.. nodes], [], [template], new Dictionary<string, DisruptionPolicy> { [p.NodePool] = p }, [.. pdbs ?? []], Now);
    }
}
