using System.Text.Json;

namespace Platform.Infra.Blueprint.Helm;

/// <summary>A Helm release: chart, repository, pinned version, namespace and values (as JSON, so it compares by value).</summary>
public sealed record HelmRelease(string Name, string Chart, string Repository, string Version, string Namespace, string ValuesJson)
{
    /// <summary>The values, parsed.</summary>
    public JsonElement Values => JsonDocument.Parse(ValuesJson).RootElement.Clone();
}
