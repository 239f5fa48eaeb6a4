using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Infra.Blueprint.Rendering;

namespace Platform.Infra.Blueprint.Kubernetes;

/// <summary>
/// An object of a kind KubernetesClient has no model for (ServiceMonitor, PrometheusRule, ScaledObject): its identity
/// and its <c>spec</c> as JSON text, so the record compares by value.
/// </summary>
public sealed record CustomObject(
    string ApiVersion,
    string Kind,
    string Name,
    string? Namespace,
    ImmutableSortedDictionary<string, string> Labels,
    string SpecJson)
{
    /// <summary>Builds one from a JSON spec.</summary>
    public static CustomObject Create(string apiVersion, string kind, string name, string? @namespace, JsonObject spec,
        IEnumerable<KeyValuePair<string, string>>? labels = null) =>
        new(apiVersion, kind, name, @namespace, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, labels ?? []),
            spec.ToJsonString());

    /// <summary>The spec, parsed.</summary>
    public JsonElement Spec => JsonDocument.Parse(SpecJson).RootElement.Clone();

    /// <summary>The whole object as a JSON tree (apiVersion, kind, metadata, spec).</summary>
    public JsonObject ToJson()
    {
        var metadata = new JsonObject { ["name"] = Name };
        if (Namespace is not null)
        {
            metadata["namespace"] = Namespace;
        }

        if (Labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse(SpecJson),
        };
    }

    /// <summary>The object as YAML.</summary>
    public string ToYaml() => YamlRenderer.Render(ToJson());
}
