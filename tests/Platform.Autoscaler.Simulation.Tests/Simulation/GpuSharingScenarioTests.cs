using Platform.Autoscaler.Simulation;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>
/// The MIG scenario (Scenarios/mig-7b-inference.yaml): twenty 10 GB replicas asking for one nvidia.com/gpu, on whole
/// GPUs or on all-1g.10gb MIG slices, through the real controllers and the simulated GPU Operator (the device plugin,
/// and the MIG manager that splits the GPUs two minutes later).
/// </summary>
public sealed class GpuSharingScenarioTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    // Read once: the tests only read it (With and with make new scenarios).
    private static readonly Lazy<Scenario> LazyMig = new(() =>
    {
        var file = Path.Combine(RepositoryRoot.Get(), "autoscaler", "Platform.Autoscaler.Simulation", "Scenarios", "mig-7b-inference.yaml");
        var (scenario, errors) = ScenarioReader.Read("mig-7b-inference.yaml", File.ReadAllText(file));
        Assert.Empty(errors);
        return scenario!;
    });

    private static Scenario Mig() => LazyMig.Value;

    private static Task<SimulationResult> RunAsync(string variant)
    {
        var scenario = Mig();
        return Simulator.RunAsync(scenario.With(scenario.Variants.Single(v => v.Name == variant)) with { Duration = HalfHour },
            ScenarioKit.Catalog, false, null, null, CancellationToken.None);
    }

    [Fact]
    public void Scenario_ReadsItsFiveVariantsAndTheDevicePluginConfigMap()
    {
        var scenario = Mig();

        Assert.Equal(["whole-p4d", "whole-g5", "mig-p4d", "mig-p5", "mig-or-whole"], scenario.Variants.Select(v => v.Name));
        Assert.Equal("device-plugin-config", Assert.Single(scenario.ConfigMaps).Metadata.Name);
        Assert.Empty(scenario.NodePools);
        Assert.Equal(2, scenario.Variants[^1].NodePools.Count);
    }

    [Fact]
    public async Task MigP4d_OneP4dHoldsAllTwentyOnceTheMigManagerSplitsItsA100s()
    {
        var result = await RunAsync("mig-p4d");

        Assert.Equal(0, result.PodsUnplaced);
        Assert.Empty(result.Violations);
        Assert.Equal(new Dictionary<string, int> { ["p4d.24xlarge on-demand"] = 1 }, result.Launches);
        Assert.DoesNotContain(result.Decisions, d => d.Contains("gpu-sharing-mismatch", StringComparison.Ordinal));
        // Launch, 60 s boot, 30 s to the device plugin, then the MIG manager's two minutes.
        Assert.True(result.PendingSeconds.P99 >= 210, $"p99 {result.PendingSeconds.P99} s");
    }

    [Fact]
    public async Task WholeP4d_TakesThreeNodesForTheSameTwenty()
    {
        var result = await RunAsync("whole-p4d");

        Assert.Equal(new Dictionary<string, int> { ["p4d.24xlarge on-demand"] = 3 }, result.Launches);
        Assert.True(result.PendingSeconds.P99 < 210, $"p99 {result.PendingSeconds.P99} s");
    }

    [Fact]
    public async Task MigOrWhole_PricePerPodSplitsTheReplicasBetweenH100SlicesAndA10gs()
    {
        var result = await RunAsync("mig-or-whole");

        // $6.88 / 7 = $0.98 a replica on a split p5.4xlarge beats a g5.xlarge's $1.006 while 7 remain; the last six go whole.
        Assert.Equal(new Dictionary<string, int> { ["g5.xlarge on-demand"] = 6, ["p5.4xlarge on-demand"] = 2 }, result.Launches);
        Assert.Equal(0, result.PodsUnplaced);
        Assert.Empty(result.Violations);
    }
}
