using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// One entry of a mig-parted layout (its <c>MigConfigSpec</c>): which GPUs it applies to and what they become.
/// </summary>
/// <param name="DeviceFilter">PCI device ids it is limited to (<c>device-filter</c>); empty for every model.</param>
/// <param name="Devices">GPU indices it applies to (<c>devices</c>); null for <c>all</c>.</param>
/// <param name="MigEnabled">Whether MIG mode is on for them (<c>mig-enabled</c>).</param>
/// <param name="MigDevices">Instances per profile on each of them (<c>mig-devices</c>).</param>
public sealed record MigDeviceSpec(
    ImmutableArray<string> DeviceFilter, ImmutableArray<int>? Devices, bool MigEnabled, ImmutableSortedDictionary<string, int> MigDevices)
{
    /// <summary>Whether it applies to GPU <paramref name="index"/> of model <paramref name="model"/> (mig-parted's
    /// MatchesDeviceFilter and MatchesDevices).</summary>
    public bool Matches(GpuModel model, int index) =>
        (DeviceFilter.IsDefaultOrEmpty || DeviceFilter.Any(id => model.PciDeviceId is { } own && string.Equals(id, own, StringComparison.OrdinalIgnoreCase)))
        && (Devices is not { } indices || indices.Contains(index));

    /// <summary>MIG enabled with these instances on every GPU of the models given (all models when none).</summary>
    public static MigDeviceSpec Partition(IReadOnlyDictionary<string, int> devices, params string[] deviceFilter) =>
        new([.. deviceFilter], null, true, devices.ToImmutableSortedDictionary(StringComparer.Ordinal));

    /// <summary>MIG disabled on every GPU.</summary>
    public static MigDeviceSpec Disabled { get; } = new([], null, false, ImmutableSortedDictionary<string, int>.Empty);

    /// <summary>Value equality over the collections, so two readings of one config compare equal.</summary>
    public bool Equals(MigDeviceSpec? other) =>
        other is not null && MigEnabled == other.MigEnabled
        && DeviceFilter.AsSpan().SequenceEqual(other.DeviceFilter.AsSpan())
        && (Devices is null ? other.Devices is null : other.Devices is { } theirs && Devices.Value.SequenceEqual(theirs))
        && MigDevices.SequenceEqual(other.MigDevices);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MigEnabled, DeviceFilter.Length, MigDevices.Count);
}
