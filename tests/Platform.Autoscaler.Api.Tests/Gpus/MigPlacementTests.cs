using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

public sealed class MigPlacementTests
{
    private static readonly GpuModel A100 = GpuModels.Find("a100", 40960)!;
    private static readonly GpuModel H100 = GpuModels.Find("h100", 81920)!;

    [Theory]
    [InlineData("4g.20gb:1 3g.20gb:1")]
    [InlineData("2g.10gb:3 1g.5gb:1")]
    [InlineData("3g.20gb:1 2g.10gb:1 1g.5gb:2")]
    [InlineData("1g.5gb:2 2g.10gb:1 3g.20gb:1")]
    [InlineData("1g.10gb:2 2g.10gb:1 1g.5gb:2")]
    [InlineData("1g.5gb+me:1 1g.5gb:6")]
    public void Problem_CombinationTheA100Takes_IsNull(string instances) => Assert.Null(MigPlacement.Problem(A100, Parse(instances)));

    [Theory]
    [InlineData("3g.20gb:2 1g.5gb:1", "cannot be placed together")]
    [InlineData("4g.20gb:1 2g.10gb:2", "needs 8 compute slices")]
    [InlineData("1g.10gb:7", "at most 4 1g.10gb")]
    [InlineData("1g.12gb:1", "has no MIG profile 1g.12gb")]
    [InlineData("1g.5gb+me:2", "at most 1 1g.5gb+me")]
    [InlineData("7g.40gb:1 1g.5gb:1", "needs 8 compute slices")]
    public void Problem_CombinationTheA100Refuses_SaysWhy(string instances, string reason) =>
        Assert.Contains(reason, MigPlacement.Problem(A100, Parse(instances)), StringComparison.Ordinal);

    [Fact]
    public void Problem_GpuWithoutMig_Refused() =>
        Assert.Contains("has no MIG", MigPlacement.Problem(GpuModels.Find("t4", 16384)!, Parse("1g.5gb:1")), StringComparison.Ordinal);

    [Fact]
    public void Problem_RandomCombinations_AcceptedOnesRespectEverySliceAndCount() => SeededProperty.Check(500, random =>
    {
        var model = GpuModels.All.Where(m => m.SupportsMig).ElementAt(random.Next(GpuModels.All.Count(m => m.SupportsMig)));
        var instances = model.Profiles.Where(_ => random.Next(3) == 0).ToDictionary(p => p.Name, _ => random.Next(1, 5));
        if (MigPlacement.Problem(model, instances) is not null)
        {
            return true;
        }

        var profiles = instances.SelectMany(i => Enumerable.Repeat(model.Profile(i.Key)!, i.Value)).ToList();
        return profiles.Sum(p => p.ComputeSlices) <= model.ComputeSlots
            && profiles.Sum(p => p.MemorySlices) <= model.MemorySlots
            && instances.All(i => i.Value <= model.Profile(i.Key)!.MaxInstances)
            && profiles.Count(p => p.MediaExtensions) <= 1;
    });

    [Fact]
    public void Problem_H100Balanced_Fits() => Assert.Null(MigPlacement.Problem(H100, MigPartedConfig.Balanced(H100)));

    private static Dictionary<string, int> Parse(string instances) =>
        instances.Split(' ').Select(i => i.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
}
