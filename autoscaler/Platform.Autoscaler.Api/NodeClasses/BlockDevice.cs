using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>An EBS volume's settings.</summary>
[CelRule("has(self.snapshotID) || has(self.volumeSize)", "snapshotID or volumeSize must be defined")]
[CelRule("!has(self.volumeInitializationRate) || (has(self.snapshotID) && self.snapshotID != '')", "snapshotID must be set when volumeInitializationRate is set")]
[CelRule("!has(self.iops) || (has(self.volumeType) && self.volumeType in ['io1', 'io2', 'gp3'])", "iops applies to io1, io2 and gp3 volumes only")]
[CelRule("!has(self.throughput) || (has(self.volumeType) && self.volumeType == 'gp3' && self.throughput >= 125 && self.throughput <= 1000)", "throughput applies to gp3 volumes only, from 125 to 1000 MiB/s")]
public sealed record BlockDevice
{
    /// <summary>Whether the volume is deleted with the instance.</summary>
    [Description("DeleteOnTermination indicates whether the EBS volume is deleted on instance termination.")]
    public bool? DeleteOnTermination { get; init; }

    /// <summary>Whether the volume is encrypted.</summary>
    [Description("Encrypted indicates whether the EBS volume is encrypted.")]
    public bool? Encrypted { get; init; }

    /// <summary>Provisioned IOPS (io1, io2, gp3).</summary>
    [Description("IOPS is the number of I/O operations per second (IOPS).")]
    public long? Iops { get; init; }

    /// <summary>The KMS key for encryption.</summary>
    [Description("Identifier (key ID, key alias, key ARN, or alias ARN) of the customer managed KMS key to use for EBS encryption.")]
    public string? KmsKeyID { get; init; }

    /// <summary>The snapshot to restore from.</summary>
    [Description("SnapshotID is the ID of an EBS snapshot")]
    public string? SnapshotID { get; init; }

    /// <summary>Throughput in MiB/s (gp3).</summary>
    [Description("Throughput to provision for a gp3 volume, with a maximum of 1,000 MiB/s.")]
    public long? Throughput { get; init; }

    /// <summary>Volume initialization rate in MiB/s.</summary>
    [Range(100, 300)]
    [Description("VolumeInitializationRate specifies the Amazon EBS Provisioned Rate for Volume Initialization, in MiB/s.")]
    public long? VolumeInitializationRate { get; init; }

    /// <summary>The size, a string such as 100Gi: whole Gi, G, Ti or T up to 64 TB.</summary>
    [StringOnly, RegularExpression(Patterns.VolumeSize)]
    [Description("VolumeSize in `Gi`, `G`, `Ti`, or `T`.")]
    public ResourceQuantity? VolumeSize { get; init; }

    /// <summary>standard, io1, io2, gp2, sc1, st1 or gp3.</summary>
    [AllowedValues("standard", "io1", "io2", "gp2", "sc1", "st1", "gp3")]
    [Description("VolumeType of the block device.")]
    public string? VolumeType { get; init; }
}
