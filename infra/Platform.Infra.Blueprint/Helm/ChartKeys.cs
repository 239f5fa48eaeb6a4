using System.Collections.Immutable;

namespace Platform.Infra.Blueprint.Helm;

/// <summary>
/// The value keys the stack sets in one chart (dotted paths; a path that ends at a map or list the stack fills whole,
/// such as <c>nodeSelector</c> or <c>tolerations</c>, stands for that value), and the chart version whose own
/// values.yaml each was checked against.
/// </summary>
public sealed record ChartKeys(string Chart, string CheckedAgainst, ImmutableArray<string> Paths);
