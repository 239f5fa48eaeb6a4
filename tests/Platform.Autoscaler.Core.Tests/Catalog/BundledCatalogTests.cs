using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Core.Tests.Catalog;

public sealed class BundledCatalogTests
{
    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    private static InstanceTypeInfo Type(string name) => Catalog.InstanceTypes.Single(t => t.Name == name);

    [Fact]
    public void Load_CoversTheRegionWithGpuAndNeuronTypes()
    {
        Assert.Equal("us-east-1", Catalog.Region);
        Assert.True(Catalog.InstanceTypes.Count > 800, $"{Catalog.InstanceTypes.Count} types");
        foreach (var name in new[] { "g4dn.xlarge", "g5.xlarge", "g5.48xlarge", "g6.xlarge", "p4d.24xlarge", "p5.48xlarge", "inf2.xlarge", "inf2.48xlarge", "trn1.32xlarge", "m5.large", "c7g.large" })
        {
            Assert.NotEmpty(Type(name).Offerings);
        }
    }

    [Fact]
    public void Load_GpuFactsMatchEc2()
    {
        Assert.Equal(new GpuInfo("a10g", "nvidia", 1, 22888), Type("g5.xlarge").Gpu);
        Assert.Equal(8, Type("p5.48xlarge").Gpu!.Count);
        Assert.Equal("h100", Type("p5.48xlarge").Gpu!.Name);
        Assert.True(Type("p5.48xlarge").EfaInterfaces > 0);
        Assert.Equal("inferentia2", Type("inf2.xlarge").Accelerator!.Name);
        Assert.Equal("arm64", Type("c7g.large").Architecture);
    }

    [Fact]
    public void Load_EveryOfferingPricedAndSpotCheaperThanOnDemand()
    {
        foreach (var type in Catalog.InstanceTypes)
        {
            var onDemand = type.Offerings.Where(o => o.CapacityType == "on-demand").Select(o => o.Price).Distinct().Single();
            Assert.True(onDemand > 0, type.Name);
            Assert.All(type.Offerings.Where(o => o.CapacityType == "spot"), o => Assert.InRange(o.Price, onDemand * 0.3 - 1e-4, onDemand * 0.65 + 1e-4));
        }
    }

    [Fact]
    public void Resolve_G5Xlarge_HasEksAllocatableAndLabels()
    {
        var type = InstanceTypeResolver.Resolve(Type("g5.xlarge"));
        Assert.Equal(58, type.Capacity["pods"]); // 4 ENIs x (15 - 1) + 2
        Assert.Equal(4000 - 80, type.Allocatable["cpu"]); // 60m + 10m + 2 x 5m kube-reserved
        Assert.Equal(1, type.Allocatable[WellKnownResources.NvidiaGpu]);
        Assert.Equal("a10g", type.Labels[WellKnownLabels.InstanceGpuName]);
        Assert.Equal("g", type.Labels[WellKnownLabels.InstanceCategory]);
        Assert.Equal("5", type.Labels[WellKnownLabels.InstanceGeneration]);
        Assert.Equal("xlarge", type.Labels[WellKnownLabels.InstanceSize]);
        Assert.Equal("250", type.Labels[WellKnownLabels.InstanceLocalNvme]);
        // memory: 16384 MiB less 7.5% (1229 MiB), less kube-reserved 11 x 58 + 255 MiB, less 100 MiB eviction
        Assert.Equal((16384L - 1229 - (11 * 58 + 255) - 100) << 20, type.Allocatable["memory"]);
    }

    [Fact]
    public void Resolve_SoftEvictionAboveTheHardOne_KeepsTheLargerBack()
    {
        // A soft threshold evicts too, after its grace period, so allocatable leaves room for the larger (Karpenter's rule).
        var hard = new KubeletConfiguration { EvictionHard = new Dictionary<string, string> { ["memory.available"] = "100Mi", ["nodefs.available"] = "10%" } };
        var soft = hard with
        {
            EvictionSoft = new Dictionary<string, string> { ["memory.available"] = "1Gi", ["nodefs.available"] = "5%" },
            EvictionSoftGracePeriod = new Dictionary<string, string> { ["memory.available"] = "1m", ["nodefs.available"] = "1m" },
        };

        var withHard = InstanceTypeResolver.Resolve(Type("m5.large"), hard, 100).Overhead;
        var withSoft = InstanceTypeResolver.Resolve(Type("m5.large"), soft, 100).Overhead;

        Assert.Equal(1024L << 20, withSoft["memory"] - withHard["memory"] + (100L << 20));
        Assert.Equal(withHard["ephemeral-storage"], withSoft["ephemeral-storage"]);
    }

    [Fact]
    public void Parse_BadCatalog_NamesTheField()
    {
        var error = Assert.Throws<FormatException>(() => CatalogJson.Parse("""{"region":"x","source":"y","instanceTypes":[{"name":"a.b","architecture":"sparc","vCpus":1,"memoryMiB":1,"maxNetworkInterfaces":1,"ipv4PerInterface":2,"offerings":[{"zone":"z","capacityType":"cheap","price":-1}]}]}""", "my.json"));
        Assert.Contains("my.json: instanceTypes[0] (a.b).architecture: must be amd64 or arm64", error.Message, StringComparison.Ordinal);
        Assert.Contains("offerings[0].price: must not be negative", error.Message, StringComparison.Ordinal);
        Assert.Contains("offerings[0].capacityType: must be spot, on-demand or reserved", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CatalogJson.Parse("""{"region":"x","source":"y","instanceTypes":[],"extra":1}"""));
    }

    [Fact]
    public void WriteThenParse_RoundTrips()
    {
        var again = CatalogJson.Parse(CatalogJson.Write(Catalog));
        Assert.Equal(Catalog.InstanceTypes.Count, again.InstanceTypes.Count);
        Assert.Equal(Catalog.InstanceTypes[10], again.InstanceTypes[10] with { Offerings = Catalog.InstanceTypes[10].Offerings });
        Assert.Equal(Catalog.InstanceTypes[10].Offerings, again.InstanceTypes[10].Offerings);
    }
}
