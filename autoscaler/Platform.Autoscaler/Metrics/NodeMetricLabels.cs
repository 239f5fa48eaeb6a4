using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Metrics;

/// <summary>
/// The labels of Karpenter's per-node metrics (kubernetes-sigs/karpenter pkg/controllers/metrics/node, 2266468): one
/// per well-known node label, named by the part after the '/' in snake case (<c>karpenter.sh/capacity-type</c> is
/// <c>capacity_type</c>), then <c>node_name</c>, <c>phase</c> and <c>managed</c>. The well-known labels are Karpenter
/// core's (pkg/apis/v1/labels.go) and those the AWS provider adds (aws/karpenter-provider-aws pkg/apis/v1/labels.go,
/// 1d92708).
/// </summary>
public static class NodeMetricLabels
{
    /// <summary>The node label keys, in the order their metric labels come.</summary>
    public static IReadOnlyList<string> WellKnownKeys { get; } =
    [
        WellKnownLabels.NodePool, WellKnownLabels.Zone, WellKnownLabels.Region, WellKnownLabels.InstanceType, WellKnownLabels.Arch,
        WellKnownLabels.Os, WellKnownLabels.CapacityType, WellKnownLabels.WindowsBuild,
        WellKnownLabels.CapacityReservationId, WellKnownLabels.CapacityReservationType, WellKnownLabels.CapacityReservationInterruptible,
        WellKnownLabels.InstanceHypervisor, WellKnownLabels.InstanceEncryptionInTransitSupported, WellKnownLabels.NitroSandbox,
        WellKnownLabels.InstanceCategory, WellKnownLabels.InstanceCapabilityFlex, WellKnownLabels.InstanceFamily, WellKnownLabels.InstanceGeneration,
        WellKnownLabels.InstanceSize, WellKnownLabels.InstanceLocalNvme, WellKnownLabels.InstanceCpu, WellKnownLabels.InstanceCpuManufacturer,
        WellKnownLabels.InstanceCpuSustainedClockSpeedMhz, WellKnownLabels.InstanceMemory, WellKnownLabels.InstanceEbsBandwidth,
        WellKnownLabels.InstanceNetworkBandwidth, WellKnownLabels.InstanceGpuName, WellKnownLabels.InstanceGpuManufacturer,
        WellKnownLabels.InstanceGpuCount, WellKnownLabels.InstanceGpuMemory, WellKnownLabels.InstanceAcceleratorName,
        WellKnownLabels.InstanceAcceleratorManufacturer, WellKnownLabels.InstanceAcceleratorCount, WellKnownLabels.ZoneId,
        WellKnownLabels.InstanceTenancy, WellKnownLabels.PlacementGroupId, WellKnownLabels.PlacementGroupPartition,
    ];

    /// <summary>Every label name of a node series, <c>resource_type</c> last.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. WellKnownKeys.Select(MetricName), "node_name", "phase", "managed", "resource_type"];

    /// <summary>Karpenter's metric label for a node label key.</summary>
    public static string MetricName(string key) => Snake(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    /// <summary>Karpenter's <c>resource_type</c> value for a resource name (<c>ephemeral-storage</c> is <c>ephemeral_storage</c>).</summary>
    public static string ResourceType(string resource) => Snake(resource);

    private static string Snake(string text) => text.ToLowerInvariant().Replace('-', '_');
}
