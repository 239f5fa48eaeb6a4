using Platform.Infra.Blueprint.Ordering;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The resources of each <see cref="Stage"/> as the program declares them, so each stage's resources get the
/// <see cref="StackOrder"/> edges as explicit <c>DependsOn</c>. A stage must be declared before any stage that waits
/// for it asks for its dependencies, so a forgotten registration stops the program instead of dropping an edge.
/// </summary>
public sealed class StagedResources
{
    private readonly Dictionary<Stage, List<Resource>> byStage = [];

    /// <summary>Records <paramref name="resources"/> as (part of) <paramref name="stage"/>.</summary>
    public void Add(Stage stage, params IEnumerable<Resource> resources)
    {
        if (!byStage.TryGetValue(stage, out var list))
        {
            byStage[stage] = list = [];
        }

        list.AddRange(resources);
    }

    /// <summary>The resources declared for <paramref name="stage"/>.</summary>
    public IReadOnlyList<Resource> Of(Stage stage) => byStage.TryGetValue(stage, out var list) ? list : [];

    /// <summary>Every stage declared so far with its resources.</summary>
    public IReadOnlyDictionary<Stage, IReadOnlyList<Resource>> All => byStage.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Resource>)kv.Value);

    /// <summary>What a resource of <paramref name="stage"/> depends on: the resources of each stage it waits for directly.</summary>
    /// <exception cref="InvalidOperationException">A stage it waits for has not been declared yet.</exception>
    public IReadOnlyList<Resource> DependenciesOf(Stage stage)
    {
        var missing = StackOrder.Before(stage).Where(s => Of(s).Count == 0).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"stage {stage} waits for {string.Join(", ", missing)}, which the program has not declared yet");
        }

        return [.. StackOrder.Before(stage).SelectMany(Of)];
    }
}
