using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// Karpenter's label rules: which keys a NodePool may set or require. Domains kubernetes.io, k8s.io, karpenter.sh
/// and karpenter.k8s.aws belong to the system, except the well-known labels (which requirements may constrain)
/// and the node.kubernetes.io and node-restriction.kubernetes.io sub-domains (which users may set).
/// </summary>
public static partial class LabelRules
{
    /// <summary>Domains whose labels only the system sets.</summary>
    public static readonly FrozenSet<string> RestrictedDomains =
        FrozenSet.ToFrozenSet(["kubernetes.io", "k8s.io", WellKnownLabels.KarpenterGroup, WellKnownLabels.AwsGroup], StringComparer.Ordinal);

    /// <summary>Sub-domains of the restricted ones that users may still use.</summary>
    public static readonly FrozenSet<string> DomainExceptions =
        FrozenSet.ToFrozenSet(["kops.k8s.io", "node.kubernetes.io", "node-restriction.kubernetes.io"], StringComparer.Ordinal);

    /// <summary>Labels the autoscaler derives from the instance; requirements may constrain them.</summary>
    public static readonly FrozenSet<string> WellKnown = FrozenSet.ToFrozenSet(
    [
        WellKnownLabels.NodePool, WellKnownLabels.CapacityType, WellKnownLabels.Zone, WellKnownLabels.Region,
        WellKnownLabels.InstanceType, WellKnownLabels.Arch, WellKnownLabels.Os, WellKnownLabels.WindowsBuild,
        WellKnownLabels.ZoneId, WellKnownLabels.InstanceHypervisor, WellKnownLabels.InstanceEncryptionInTransitSupported,
        WellKnownLabels.InstanceCategory, WellKnownLabels.InstanceFamily, WellKnownLabels.InstanceGeneration,
        WellKnownLabels.InstanceLocalNvme, WellKnownLabels.InstanceSize, WellKnownLabels.InstanceCpu,
        WellKnownLabels.InstanceCpuManufacturer, WellKnownLabels.InstanceCpuSustainedClockSpeedMhz,
        WellKnownLabels.InstanceMemory, WellKnownLabels.InstanceEbsBandwidth, WellKnownLabels.InstanceNetworkBandwidth,
        WellKnownLabels.InstanceGpuName, WellKnownLabels.InstanceGpuManufacturer, WellKnownLabels.InstanceGpuCount,
        WellKnownLabels.InstanceGpuMemory, WellKnownLabels.InstanceAcceleratorName,
        WellKnownLabels.InstanceAcceleratorManufacturer, WellKnownLabels.InstanceAcceleratorCount,
        WellKnownLabels.InstanceCapabilityFlex,
    ], StringComparer.Ordinal);

    /// <summary>The domain part of a key (before '/'), or empty.</summary>
    public static string Domain(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : key[..slash];
    }

    /// <summary>
    /// Why a key may not appear in a NodePool's requirements or template labels, or null if it may. Well-known
    /// labels are allowed (a template label then pins the value, as in Karpenter).
    /// </summary>
    public static string? KeyProblem(string key)
    {
        if (key == WellKnownLabels.NodePool || key == WellKnownLabels.Hostname)
        {
            return $"label \"{key}\" is restricted: the autoscaler sets it on every node";
        }

        return WellKnown.Contains(key) ? null : RestrictedDomainProblem(key);
    }

    /// <summary>Whether a label value is well-formed (empty, or up to 63 alphanumerics with -, _ and . inside).</summary>
    public static bool IsValidValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    /// <summary>Whether a label key is a well-formed qualified name.</summary>
    public static bool IsValidKey(string key)
    {
        var domain = Domain(key);
        return key.Length <= 316 && domain.Length <= 253 && QualifiedName().IsMatch(key);
    }

    private static string? RestrictedDomainProblem(string key)
    {
        var domain = Domain(key);
        if (domain.Length == 0 || DomainExceptions.Any(e => IsSameOrSubdomain(domain, e)))
        {
            return null;
        }

        var restricted = RestrictedDomains.FirstOrDefault(r => IsSameOrSubdomain(domain, r));
        return restricted is null
            ? null
            : $"label domain \"{restricted}\" is restricted: use a well-known label ({string.Join(", ", WellKnown.Order(StringComparer.Ordinal).Take(4))}, ...) or a label outside {string.Join(", ", RestrictedDomains.Order(StringComparer.Ordinal))}";
    }

    private static bool IsSameOrSubdomain(string domain, string parent) =>
        domain == parent || domain.EndsWith("." + parent, StringComparison.Ordinal);

    [GeneratedRegex(Patterns.LabelValue)]
    private static partial Regex LabelValue();

    [GeneratedRegex(Patterns.QualifiedName)]
    private static partial Regex QualifiedName();
}
