using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using GpuInfo = Platform.Autoscaler.Core.Catalog.GpuInfo;
using InstanceTypeInfo = Platform.Autoscaler.Core.Catalog.InstanceTypeInfo;

namespace Platform.Autoscaler.Aws.Catalog;

/// <summary>
/// Builds an instance catalog from EC2: DescribeInstanceTypes for the facts, DescribeInstanceTypeOfferings for the
/// zones each type is sold in, DescribeSpotPriceHistory for spot prices (the model where it has none), and the
/// on-demand price table. Keeps every type, of any generation, that has a price and a zone to run in.
/// </summary>
public sealed class Ec2CatalogReader(IAmazonEC2 ec2)
{
    /// <summary>Reads the region's catalog; <paramref name="now"/> bounds the spot price history window.</summary>
    public async Task<InstanceCatalog> ReadAsync(
        string region, IReadOnlyDictionary<string, double> onDemand, string priceSource, DateTime now, CancellationToken cancellationToken)
    {
        var types = await DescribeInstanceTypesAsync(cancellationToken).ConfigureAwait(false);
        var zones = await DescribeZonesAsync(cancellationToken).ConfigureAwait(false);
        var spot = await DescribeSpotPricesAsync(now, cancellationToken).ConfigureAwait(false);
        // An emulator answers with one placeholder price for everything; that is no price history at all.
        var spotIsPlaceholder = spot.Count > 0 && spot.Values.Distinct().Count() == 1 && spot.Select(k => k.Key.Type).Distinct().Count() > 1;
        if (spotIsPlaceholder)
        {
            spot.Clear();
        }

        var catalog = new List<InstanceTypeInfo>();
        var unpriced = 0;
        var modelled = 0;
        foreach (var type in types.OrderBy(t => t.InstanceType.Value, StringComparer.Ordinal))
        {
            var name = type.InstanceType.Value;
            // Previous generations stay too: clusters still run m5 and c5, and a plan must be able to name them.
            if (Architecture(type) is not { } architecture)
            {
                continue;
            }

            if (!onDemand.TryGetValue(name, out var price))
            {
                unpriced++;
                continue;
            }

            var offerings = new List<Offering>();
            var spotSupported = type.SupportedUsageClasses?.Any(c => c == "spot") ?? true;
            foreach (var zone in zones.GetValueOrDefault(name, []).Order(StringComparer.Ordinal))
            {
                offerings.Add(new Offering(zone, WellKnownLabels.CapacityTypes.OnDemand, price));
                if (spotSupported)
                {
                    // A spot price under 1% of on-demand is a placeholder, not a market price.
                    if (!spot.TryGetValue((name, zone), out var spotPrice) || spotPrice < price * 0.01)
                    {
                        spotPrice = SpotPriceModel.Price(name, zone, price);
                        modelled++;
                    }

                    offerings.Add(new Offering(zone, WellKnownLabels.CapacityTypes.Spot, spotPrice));
                }
            }

            if (offerings.Count > 0)
            {
                catalog.Add(Convert(type, architecture, offerings));
            }
        }

        var source = $"EC2 DescribeInstanceTypes/DescribeInstanceTypeOfferings ({region}); on-demand prices: {priceSource}; "
            + $"spot: DescribeSpotPriceHistory where it had a price, else the SpotPriceModel ({modelled} offerings modelled"
            + (spotIsPlaceholder ? "; the spot history held one placeholder price and was ignored" : "") + "); "
            + $"{unpriced} types without an on-demand price left out";
        return new InstanceCatalog(region, source, catalog);
    }

    /// <summary>Maps one DescribeInstanceTypes record to catalog facts.</summary>
    internal static InstanceTypeInfo Convert(Amazon.EC2.Model.InstanceTypeInfo type, string architecture, IReadOnlyList<Offering> offerings)
    {
        var network = type.NetworkInfo;
        var gpu = type.GpuInfo?.Gpus?.FirstOrDefault();
        var neuron = type.NeuronInfo?.NeuronDevices?.FirstOrDefault();
        // Only AWS's own inference chips (Inferentia) run the Neuron device plugin; others (Qualcomm's) are left out.
        var inference = type.InferenceAcceleratorInfo?.Accelerators?.FirstOrDefault(a => string.Equals(a.Manufacturer, "AWS", StringComparison.OrdinalIgnoreCase));
        var storage = type.InstanceStorageInfo;
        return new InstanceTypeInfo
        {
            Name = type.InstanceType.Value,
            Architecture = architecture,
            VCpus = type.VCpuInfo?.DefaultVCpus ?? 0,
            MemoryMiB = type.MemoryInfo?.SizeInMiB ?? 0,
            Gpu = gpu is null ? null : new GpuInfo(
                Lower(gpu.Name), Lower(gpu.Manufacturer), type.GpuInfo!.Gpus.Sum(g => g.Count ?? 0), gpu.MemoryInfo?.SizeInMiB ?? 0),
            Accelerator = neuron is not null
                ? new AcceleratorInfo(Lower(neuron.Name), "aws", type.NeuronInfo!.NeuronDevices.Sum(d => d.Count ?? 0),
                    type.NeuronInfo.NeuronDevices.Sum(d => (d.Count ?? 0) * (d.CoreInfo?.Count ?? 0)), neuron.MemoryInfo?.SizeInMiB ?? 0)
                : inference is not null
                    ? new AcceleratorInfo(Lower(inference.Name), Lower(inference.Manufacturer), type.InferenceAcceleratorInfo!.Accelerators.Sum(a => a.Count ?? 0),
                        type.InferenceAcceleratorInfo.Accelerators.Sum(a => (a.Count ?? 0) * 4), inference.MemoryInfo?.SizeInMiB ?? 0)
                    : null,
            EfaInterfaces = network?.EfaSupported == true ? network.EfaInfo?.MaximumEfaInterfaces ?? 1 : 0,
            LocalNvmeGiB = storage?.NvmeSupport?.Value is "required" or "supported" ? storage.TotalSizeInGB ?? 0 : 0,
            MaxNetworkInterfaces = network?.MaximumNetworkInterfaces ?? 1,
            Ipv4PerInterface = network?.Ipv4AddressesPerInterface ?? 2,
            Hypervisor = type.Hypervisor?.Value ?? "",
            CpuManufacturer = Lower(type.ProcessorInfo?.Manufacturer),
            SustainedClockSpeedMhz = (int)Math.Round((type.ProcessorInfo?.SustainedClockSpeedInGhz ?? 0) * 1000),
            NetworkBandwidthMbps = (long)Math.Round((network?.NetworkCards?.Sum(c => c.BaselineBandwidthInGbps ?? 0) ?? 0) * 1000),
            EbsBandwidthMbps = type.EbsInfo?.EbsOptimizedInfo?.BaselineBandwidthInMbps ?? 0,
            EncryptionInTransit = network?.EncryptionInTransitSupported ?? false,
            BareMetal = type.BareMetal ?? false,
            Offerings = offerings,
        };
    }

    private static string? Architecture(Amazon.EC2.Model.InstanceTypeInfo type)
    {
        var architectures = type.ProcessorInfo?.SupportedArchitectures?.ToList() ?? [];
        return architectures.Contains("x86_64") ? "amd64" : architectures.Contains("arm64") ? "arm64" : null;
    }

    private static string Lower(string? value) => (value ?? "").ToLowerInvariant();

    private async Task<List<Amazon.EC2.Model.InstanceTypeInfo>> DescribeInstanceTypesAsync(CancellationToken cancellationToken)
    {
        var result = new List<Amazon.EC2.Model.InstanceTypeInfo>();
        string? token = null;
        do
        {
            var page = await ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { NextToken = token, MaxResults = 100 }, cancellationToken).ConfigureAwait(false);
            result.AddRange(page.InstanceTypes ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return result;
    }

    private async Task<Dictionary<string, List<string>>> DescribeZonesAsync(CancellationToken cancellationToken)
    {
        var zones = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ec2.DescribeInstanceTypeOfferingsAsync(
                new DescribeInstanceTypeOfferingsRequest { LocationType = LocationType.AvailabilityZone, NextToken = token, MaxResults = 1000 },
                cancellationToken).ConfigureAwait(false);
            foreach (var offering in page.InstanceTypeOfferings ?? [])
            {
                if (!zones.TryGetValue(offering.InstanceType.Value, out var list))
                {
                    list = [];
                    zones[offering.InstanceType.Value] = list;
                }

                if (!list.Contains(offering.Location))
                {
                    list.Add(offering.Location);
                }
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return zones;
    }

    private async Task<Dictionary<(string Type, string Zone), double>> DescribeSpotPricesAsync(DateTime now, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<(string, string), (DateTime At, double Price)>();
        string? token = null;
        do
        {
            var page = await ec2.DescribeSpotPriceHistoryAsync(new DescribeSpotPriceHistoryRequest
            {
                ProductDescriptions = ["Linux/UNIX"],
                StartTime = now.AddHours(-3),
                NextToken = token,
                MaxResults = 1000,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var price in page.SpotPriceHistory ?? [])
            {
                if (double.TryParse(price.Price, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
                {
                    var key = (price.InstanceType.Value, price.AvailabilityZone);
                    var at = price.Timestamp ?? DateTime.MinValue;
                    if (!latest.TryGetValue(key, out var seen) || at > seen.At)
                    {
                        latest[key] = (at, value);
                    }
                }
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return latest.ToDictionary(kv => kv.Key, kv => kv.Value.Price);
    }
}
