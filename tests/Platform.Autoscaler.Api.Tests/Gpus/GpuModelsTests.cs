using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

/// <summary>The MIG table against the MIG user guide's figures (see the citation on <see cref="GpuModels"/>).</summary>
public sealed class GpuModelsTests
{
    [Theory]
    [InlineData("a100", 40960, "1g.5gb:7 1g.5gb+me:1 1g.10gb:4 2g.10gb:3 3g.20gb:2 4g.20gb:1 7g.40gb:1")]
    [InlineData("a100", 81920, "1g.10gb:7 1g.10gb+me:1 1g.20gb:4 2g.20gb:3 3g.40gb:2 4g.40gb:1 7g.80gb:1")]
    [InlineData("h100", 81920, "1g.10gb:7 1g.10gb+me:1 1g.20gb:4 2g.20gb:3 3g.40gb:2 4g.40gb:1 7g.80gb:1")]
    [InlineData("h200", 144384, "1g.18gb:7 1g.18gb+me:1 1g.35gb:4 2g.35gb:3 3g.71gb:2 4g.71gb:1 7g.141gb:1")]
    [InlineData("b200", 183359, "1g.23gb:7 1g.23gb+me:1 1g.45gb:4 2g.45gb:3 3g.90gb:2 4g.90gb:1 7g.180gb:1")]
    [InlineData("a30", 24576, "1g.6gb:4 1g.6gb+me:1 2g.12gb:2 2g.12gb+me:1 4g.24gb:1")]
    [InlineData("rtx pro server 6000", 98304, "1g.24gb:4 2g.48gb:2 4g.96gb:1")]
    public void Find_MigGpu_HasTheGuidesProfilesAndInstanceCounts(string name, long memoryMiB, string profiles)
    {
        var model = GpuModels.Find(name, memoryMiB);

        Assert.NotNull(model);
        Assert.Equal(profiles, string.Join(" ", model.Profiles.Select(p => $"{p.Name}:{p.MaxInstances}")));
    }

    [Theory]
    [InlineData("l40s", 45776)]
    [InlineData("a10g", 22888)]
    [InlineData("t4", 16384)]
    [InlineData("l4", 2861)]
    [InlineData("v100", 32768)]
    public void Find_GpuWithoutMig_HasNoProfiles(string name, long memoryMiB)
    {
        var model = GpuModels.Find(name, memoryMiB);

        Assert.NotNull(model);
        Assert.False(model.SupportsMig);
    }

    [Fact]
    public void Profiles_EachOneAlone_FitsAtItsInstanceCountAndNotOneMore()
    {
        foreach (var model in GpuModels.All.Where(m => m.SupportsMig))
        {
            foreach (var profile in model.Profiles)
            {
                Assert.Null(MigPlacement.Problem(model, new Dictionary<string, int> { [profile.Name] = profile.MaxInstances }));
                Assert.NotNull(MigPlacement.Problem(model, new Dictionary<string, int> { [profile.Name] = profile.MaxInstances + 1 }));
            }
        }
    }

    [Fact]
    public void Profiles_NamesAndSlices_AgreeWithTheirShares()
    {
        foreach (var model in GpuModels.All.Where(m => m.SupportsMig))
        {
            foreach (var profile in model.Profiles)
            {
                Assert.StartsWith($"{profile.ComputeSlices}g.", profile.Name, StringComparison.Ordinal);
                // A profile's memory is its share of the memory slices, within a gigabyte or two of rounding.
                var share = (double)profile.MemorySlices / model.MemorySlots * model.MemoryMiB!.Value / 1024;
                Assert.InRange(profile.MemoryGb, share * 0.9, share * 1.1);
            }
        }
    }

    [Fact]
    public void MixedResourceName_MediaExtensionProfile_UsesADot()
    {
        Assert.Equal("nvidia.com/mig-1g.10gb.me", MigProfile.ResourceNameOf("1g.10gb+me"));
        Assert.Equal("nvidia.com/mig-3g.40gb", MigProfile.ResourceNameOf("3g.40gb"));
    }
}
