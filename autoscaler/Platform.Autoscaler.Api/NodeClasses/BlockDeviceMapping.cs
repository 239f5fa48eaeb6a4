using System.ComponentModel;

namespace Platform.Autoscaler.Api;

/// <summary>A volume attached at launch.</summary>
public sealed record BlockDeviceMapping
{
    /// <summary>The device name, e.g. /dev/xvda.</summary>
    [Description("The device name (for example, /dev/sdh or xvdh).")]
    public string? DeviceName { get; init; }

    /// <summary>The EBS volume.</summary>
    [Description("EBS contains parameters used to automatically set up EBS volumes when an instance is launched.")]
    public BlockDevice? Ebs { get; init; }

    /// <summary>Whether this is the root volume (at most one).</summary>
    [Description("RootVolume is a flag indicating if this device is mounted as kubelet root dir.")]
    public bool? RootVolume { get; init; }
}
