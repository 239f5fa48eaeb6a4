using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Core.Tests.Catalog;

/// <summary>The bundled catalog's types under a pool's GPU sharing, against the MIG profile tables.</summary>
public sealed class SharedGpuTypesTests
{
    private static readonly IReadOnlyList<InstanceType> Types = [.. BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t))];

    private static readonly V1ConfigMap Plugin = new()
    {
        Metadata = new V1ObjectMeta { Name = "plugin" },
        Data = new Dictionary<string, string>
        {
            ["mixed"] = "version: v1\nflags:\n  migStrategy: mixed\n",
            ["single"] = "version: v1\nflags:\n  migStrategy: single\n",
            ["shared-4"] = "version: v1\nsharing:\n  timeSlicing:\n    renameByDefault: true\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n",
        },
    };

    private static readonly GpuOperatorConfig Config = GpuOperatorConfig.From([Plugin], GpuOperatorSource.ByContent);

    private static GpuSharing Sharing(string? layout, string plugin) => Config.Resolve(new GpuSharingSpec(layout, plugin)).Sharing!;

    private static InstanceType Offered(SharedGpuOffer offer, string name) => offer.Offered.Single(t => t.Name == name);

    [Fact]
    public void Apply_All1g10gbMixed_P4dOffersFourPerA100AndP5SevenPerH100()
    {
        var offer = SharedGpuTypes.Apply(Types, Sharing("all-1g.10gb", "mixed"));

        var a100 = GpuModels.Find("a100", 40960)!.Profile("1g.10gb")!.MaxInstances;
        var h100 = GpuModels.Find("h100", 81920)!.Profile("1g.10gb")!.MaxInstances;
        Assert.Equal(8 * a100, Offered(offer, "p4d.24xlarge").Capacity["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(8 * h100, Offered(offer, "p5.48xlarge").Capacity["nvidia.com/mig-1g.10gb"]);
        Assert.Equal(0, Offered(offer, "p5.48xlarge").Capacity[WellKnownResources.NvidiaGpu]);
        Assert.Equal(0, Offered(offer, "p5.48xlarge").Allocatable[WellKnownResources.NvidiaGpu]);
    }

    [Fact]
    public void Apply_MigLayout_RefusesGpusWithoutMigOrWithoutTheProfile()
    {
        var offer = SharedGpuTypes.Apply(Types, Sharing("all-1g.10gb", "mixed"));

        Assert.Contains(offer.Refused, r => r.Type.Name == "g4dn.xlarge" && r.Reason.Contains("t4 (T4) has no MIG", StringComparison.Ordinal));
        Assert.Contains(offer.Refused, r => r.Type.Name == "g6e.xlarge" && r.Reason.Contains("l40s (L40S) has no MIG", StringComparison.Ordinal));
        Assert.Contains(offer.Refused, r => r.Type.Name == "p5en.48xlarge" && r.Reason.Contains("has no entry for h200", StringComparison.Ordinal));
        Assert.DoesNotContain(offer.Offered, t => t.Name == "g4dn.xlarge");
    }

    [Fact]
    public void Apply_CpuTypes_AreOfferedUnchanged()
    {
        var offer = SharedGpuTypes.Apply(Types, Sharing("all-1g.10gb", "mixed"));

        Assert.Same(Types.Single(t => t.Name == "m5.large"), Offered(offer, "m5.large"));
    }

    [Fact]
    public void Apply_TimeSlicedRenamed_OffersFourSharedPerA10g()
    {
        var offer = SharedGpuTypes.Apply(Types, Sharing(null, "shared-4"));

        Assert.Equal(4 * 4, Offered(offer, "g5.12xlarge").Capacity[WellKnownResources.NvidiaGpuShared]);
        Assert.Equal(0, Offered(offer, "g5.12xlarge").Capacity[WellKnownResources.NvidiaGpu]);
    }

    [Fact]
    public void Apply_NoSharing_ReturnsTheSameList() => Assert.Same(Types, SharedGpuTypes.Apply(Types, GpuSharing.WholeGpus).Offered);

    [Fact]
    public void Apply_EveryDefaultLayoutOnEveryMigType_AdvertisesTheProfileTableCounts()
    {
        // Whatever named layout a type takes, its node advertises per profile: GPUs x the layout's instances.
        foreach (var (name, layout) in MigPartedConfig.OperatorDefaults.Layouts)
        {
            var offer = SharedGpuTypes.Apply(Types, Sharing(name, "mixed"));
            foreach (var type in offer.Offered.Where(t => t.Info.Gpu is { Manufacturer: "nvidia", Count: > 0 }))
            {
                var gpu = type.Info.Gpu!;
                var model = GpuModels.Find(gpu.Name, gpu.MemoryMiB)!;
                var instances = layout.For(model, 0)!.MigDevices;
                foreach (var (profile, count) in instances.Where(i => i.Value > 0))
                {
                    Assert.Equal((long)count * gpu.Count, type.Capacity[MigProfile.ResourceNameOf(profile)]);
                    Assert.True(count <= model.Profile(profile)!.MaxInstances, $"{name} on {type.Name}");
                }
            }
        }
    }
}
