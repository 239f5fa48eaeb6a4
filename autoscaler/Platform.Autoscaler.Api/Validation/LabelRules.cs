using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// Karpenter v1's label rules (its CRDs' CEL, v1.9 onwards): the karpenter.sh and karpenter.k8s.aws domains belong
/// to the autoscaler except for the well-known labels requirements may constrain, and karpenter.sh/nodepool and
/// kubernetes.io/hostname are set on every node, so no NodePool may require or set them.
/// </summary>
public static partial class LabelRules
{
    /// <summary>Labels the autoscaler derives from the instance and its offering; requirements may constrain them.</summary>
    public static readonly FrozenSet<string> WellKnown = FrozenSet.ToFrozenSet(
    [
        WellKnownLabels.NodePool, WellKnownLabels.CapacityType, WellKnownLabels.Zone, WellKnownLabels.Region,
        WellKnownLabels.InstanceType, WellKnownLabels.Arch, WellKnownLabels.Os, WellKnownLabels.WindowsBuild,
        WellKnownLabels.ZoneId, .. AwsAllowed,
    ], StringComparer.Ordinal);

    /// <summary>Values a well-known label may take, where the set is closed.</summary>
    public static readonly FrozenDictionary<string, IReadOnlyList<string>> KnownValues = new Dictionary<string, IReadOnlyList<string>>
    {
        [WellKnownLabels.CapacityType] = [WellKnownLabels.CapacityTypes.OnDemand, WellKnownLabels.CapacityTypes.Reserved, WellKnownLabels.CapacityTypes.Spot],
        [WellKnownLabels.InstanceTenancy] = ["dedicated", "default"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The karpenter.k8s.aws labels a NodePool may use: those the AWS provider derives from the instance.</summary>
    public static IEnumerable<string> AwsAllowed =>
    [
        WellKnownLabels.InstanceTenancy, WellKnownLabels.CapacityReservationType, WellKnownLabels.CapacityReservationId,
        WellKnownLabels.CapacityReservationInterruptible, WellKnownLabels.Ec2NodeClass,
        WellKnownLabels.InstanceEncryptionInTransitSupported, WellKnownLabels.NitroSandbox, WellKnownLabels.InstanceCategory,
        WellKnownLabels.InstanceHypervisor, WellKnownLabels.InstanceFamily, WellKnownLabels.InstanceGeneration,
        WellKnownLabels.InstanceLocalNvme, WellKnownLabels.InstanceSize, WellKnownLabels.InstanceCpu,
        WellKnownLabels.InstanceCpuManufacturer, WellKnownLabels.InstanceCpuSustainedClockSpeedMhz,
        WellKnownLabels.InstanceMemory, WellKnownLabels.InstanceEbsBandwidth, WellKnownLabels.InstanceNetworkBandwidth,
        WellKnownLabels.InstanceGpuName, WellKnownLabels.InstanceGpuManufacturer, WellKnownLabels.InstanceGpuCount,
        WellKnownLabels.InstanceGpuMemory, WellKnownLabels.InstanceAcceleratorName,
        WellKnownLabels.InstanceAcceleratorManufacturer, WellKnownLabels.InstanceAcceleratorCount,
        WellKnownLabels.InstanceCapabilityFlex, WellKnownLabels.PlacementGroupId, WellKnownLabels.PlacementGroupPartition,
    ];

    /// <summary>The domain part of a key: the text before the first '/', or the whole key (as Karpenter's CEL reads it).</summary>
    public static string Domain(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    /// <summary>Why a key may not appear in a NodePool's requirements or template labels, or null if it may.</summary>
    public static string? KeyProblem(string key)
    {
        if (key is WellKnownLabels.NodePool or WellKnownLabels.Hostname)
        {
            return $"label \"{key}\" is restricted";
        }

        var domain = Domain(key);
        if (domain.EndsWith(WellKnownLabels.KarpenterGroup, StringComparison.Ordinal) && key != WellKnownLabels.CapacityType)
        {
            return $"label domain \"{WellKnownLabels.KarpenterGroup}\" is restricted; the only karpenter.sh label a NodePool may use is {WellKnownLabels.CapacityType}";
        }

        if (domain.EndsWith(WellKnownLabels.AwsGroup, StringComparison.Ordinal) && !WellKnown.Contains(key))
        {
            return $"label domain \"{WellKnownLabels.AwsGroup}\" is restricted; use a well-known label such as {WellKnownLabels.InstanceFamily} or {WellKnownLabels.InstanceGpuName}, or a domain of your own";
        }

        return null;
    }

    /// <summary>Why an In requirement on a label with a closed value set can never match, or null.</summary>
    public static string? ValuesProblem(string key, IList<string> values)
    {
        if (!KnownValues.TryGetValue(key, out var known) || values.Any(known.Contains))
        {
            return null;
        }

        return $"no valid values found in [{string.Join(", ", values)}] for {key}, expected one of: [{string.Join(", ", known)}]";
    }

    /// <summary>Whether a label value is well-formed (empty, or up to 63 alphanumerics with -, _ and . inside).</summary>
    public static bool IsValidValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    /// <summary>Why a key's parts are too long (the schema pattern cannot bound them), or null.</summary>
    public static string? KeyLengthProblem(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return key.Length - slash - 1 > 63 ? "the name part of a label key must be no more than 63 characters"
            : slash > 253 ? "the prefix part of a label key must be no more than 253 characters"
            : null;
    }

    /// <summary>Whether a key is a qualified name: an optional DNS prefix of at most 253 characters, a name of at most 63.</summary>
    public static bool IsValidKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return slash <= 253 && name.Length <= 63 && QualifiedName().IsMatch(key);
    }

    [GeneratedRegex(Patterns.LabelValue)]
    private static partial Regex LabelValue();

    [GeneratedRegex(Patterns.QualifiedName)]
    private static partial Regex QualifiedName();
}
