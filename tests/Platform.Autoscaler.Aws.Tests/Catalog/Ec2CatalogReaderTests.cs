using Platform.Autoscaler.Aws.Catalog;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Aws.Tests.Catalog;

public sealed class Ec2CatalogReaderTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly IReadOnlyDictionary<string, double> Prices = new Dictionary<string, double>
    {
        ["g5.xlarge"] = 1.006, ["p5.48xlarge"] = 55.04, ["inf2.xlarge"] = 0.7582, ["m7g.large"] = 0.0816,
    };

    private async Task<InstanceCatalog> ReadAsync()
    {
        using var ec2 = moto.Ec2();
        return await new Ec2CatalogReader(ec2).ReadAsync("us-east-1", Prices, "test prices", new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
    }

    [MotoFact]
    public async Task Read_OnlyPricedTypes_WithEc2Facts()
    {
        var catalog = await ReadAsync();
        Assert.Equal(Prices.Keys.Order(), catalog.InstanceTypes.Select(t => t.Name).Order());
        var g5 = catalog.InstanceTypes.Single(t => t.Name == "g5.xlarge");
        Assert.Equal(4, g5.VCpus);
        Assert.Equal("a10g", g5.Gpu!.Name);
        Assert.Equal(1, g5.Gpu.Count);
        Assert.Equal(58, g5.EniLimitedPods);
        Assert.Equal("arm64", catalog.InstanceTypes.Single(t => t.Name == "m7g.large").Architecture);
        Assert.True(catalog.InstanceTypes.Single(t => t.Name == "p5.48xlarge").EfaInterfaces > 0);
        Assert.Equal("inferentia2", catalog.InstanceTypes.Single(t => t.Name == "inf2.xlarge").Accelerator!.Name);
    }

    [MotoFact]
    public async Task Read_PlaceholderSpotHistory_ModelledSpotBelowOnDemand()
    {
        var catalog = await ReadAsync();
        Assert.Contains("placeholder price and was ignored", catalog.Source, StringComparison.Ordinal);
        foreach (var type in catalog.InstanceTypes)
        {
            var onDemand = Prices[type.Name];
            Assert.All(type.Offerings.Where(o => o.CapacityType == "on-demand"), o => Assert.Equal(onDemand, o.Price));
            Assert.All(type.Offerings.Where(o => o.CapacityType == "spot"), o =>
                Assert.Equal(SpotPriceModel.Price(type.Name, o.Zone, onDemand), o.Price));
        }
    }

    [MotoFact]
    public async Task Read_ZonesFromOfferings()
    {
        var catalog = await ReadAsync();
        var zones = catalog.InstanceTypes.Single(t => t.Name == "g5.xlarge").Offerings.Select(o => o.Zone).Distinct().ToList();
        Assert.NotEmpty(zones);
        Assert.All(zones, z => Assert.StartsWith("us-east-1", z, StringComparison.Ordinal));
    }
}
