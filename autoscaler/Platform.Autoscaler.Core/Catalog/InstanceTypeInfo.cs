using System.Text.Json.Serialization;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// The facts of one EC2 instance type as the catalog records them (DescribeInstanceTypes plus prices), before a
/// node class's settings turn them into capacity and allocatable.
/// </summary>
public sealed record InstanceTypeInfo
{
    /// <summary>e.g. g5.xlarge.</summary>
    public required string Name { get; init; }

    /// <summary>amd64 or arm64.</summary>
    public required string Architecture { get; init; }

    /// <summary>vCPUs.</summary>
    public required int VCpus { get; init; }

    /// <summary>Memory in MiB as EC2 states it.</summary>
    public required long MemoryMiB { get; init; }

    /// <summary>GPUs, if any.</summary>
    public GpuInfo? Gpu { get; init; }

    /// <summary>Neuron devices, if any.</summary>
    public AcceleratorInfo? Accelerator { get; init; }

    /// <summary>EFA interfaces the type supports (0 when EFA is unsupported).</summary>
    public int EfaInterfaces { get; init; }

    /// <summary>Local NVMe instance storage in GiB (0 when none).</summary>
    public long LocalNvmeGiB { get; init; }

    /// <summary>Most network interfaces the type takes.</summary>
    public required int MaxNetworkInterfaces { get; init; }

    /// <summary>IPv4 addresses per interface.</summary>
    public required int Ipv4PerInterface { get; init; }

    /// <summary>nitro or xen; empty for bare metal.</summary>
    public string Hypervisor { get; init; } = "";

    /// <summary>intel, amd or aws.</summary>
    public string CpuManufacturer { get; init; } = "";

    /// <summary>Sustained clock speed in MHz, 0 when unknown.</summary>
    public int SustainedClockSpeedMhz { get; init; }

    /// <summary>Baseline network bandwidth in Mbps, 0 when unknown.</summary>
    public long NetworkBandwidthMbps { get; init; }

    /// <summary>Baseline EBS bandwidth in Mbps, 0 when unknown.</summary>
    public long EbsBandwidthMbps { get; init; }

    /// <summary>Whether traffic between instances is encrypted in transit.</summary>
    public bool EncryptionInTransit { get; init; }

    /// <summary>Bare metal.</summary>
    public bool BareMetal { get; init; }

    /// <summary>Where and at what price the type is offered.</summary>
    public required IReadOnlyList<Offering> Offerings { get; init; }

    /// <summary>Pods the VPC CNI can address without prefix delegation: ENIs x (IPs per ENI - 1) + 2.</summary>
    [JsonIgnore]
    public int EniLimitedPods => MaxNetworkInterfaces * (Ipv4PerInterface - 1) + 2;

    /// <summary>c, m, g, p, inf, trn ...: the letters before the generation digit.</summary>
    [JsonIgnore]
    public string Category => Family.TakeWhile(char.IsLetter).Aggregate("", (s, c) => s + c);

    /// <summary>g5, p4d, inf2 ...: the part before the dot.</summary>
    [JsonIgnore]
    public string Family => Name.Split('.')[0];

    /// <summary>The generation digits after the category (5 for g5, 7 for c7gn).</summary>
    [JsonIgnore]
    public string Generation => new(Family.SkipWhile(char.IsLetter).TakeWhile(char.IsDigit).ToArray());

    /// <summary>xlarge, 12xlarge, metal ...: the part after the dot.</summary>
    [JsonIgnore]
    public string Size => Name.Split('.') is [_, var size, ..] ? size : "";

    /// <summary>The cheapest available offering's price, or null when nothing is available.</summary>
    [JsonIgnore]
    public double? CheapestPrice => Offerings.Where(o => o.Available).Select(o => (double?)o.Price).Min();
}
