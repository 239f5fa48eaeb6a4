using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>The built-in scenario and the bundled catalog, loaded once per test run.</summary>
internal static class ScenarioKit
{
    private static readonly Lazy<InstanceCatalog> LazyCatalog = new(BundledCatalog.Load);

    public static InstanceCatalog Catalog => LazyCatalog.Value;

    public static Scenario BuiltIn()
    {
        var (scenario, errors) = ScenarioReader.Read(ScenarioReader.BuiltInName, ScenarioReader.BuiltInText());
        Assert.Empty(errors);
        return scenario!;
    }

    /// <summary>The built-in pools with only the inference Deployment at a fixed size, for a short run.</summary>
    public static Scenario Inference(int replicas, TimeSpan duration, params FaultSpec[] faults)
    {
        var builtIn = BuiltIn();
        var inference = builtIn.Workloads.Single(w => w.Name == "llm-inference") with { Replicas = [(TimeSpan.Zero, replicas)] };
        return builtIn with { Duration = duration, Workloads = [inference], Faults = faults };
    }

    /// <summary>The built-in pools with only the training Job (4 x 8-GPU pods, selecting its pool's label) from the start.</summary>
    public static Scenario Training(TimeSpan duration)
    {
        var builtIn = BuiltIn();
        var training = builtIn.Workloads.Single(w => w.Name == "llm-finetune") with { Start = TimeSpan.Zero };
        return builtIn with { Duration = duration, Workloads = [training], Faults = [] };
    }

    public static FaultSpec NoCapacity(string family, string capacityType, TimeSpan until) =>
        new("InsufficientCapacity", TimeSpan.Zero, until, null, family, null, capacityType, 0);
}
