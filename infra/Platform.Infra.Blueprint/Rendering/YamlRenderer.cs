using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Platform.Infra.Blueprint.Rendering;

/// <summary>Writes JSON trees as YAML, quoting every string a YAML reader would take for another type.</summary>
public static class YamlRenderer
{
    /// <summary>The YAML text of <paramref name="node"/>.</summary>
    public static string Render(JsonNode? node)
    {
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().WithEventEmitter(next => new LiteralMultilineEmitter(next)).DisableAliases().Build();
        return serializer.Serialize(ToPlain(node));
    }

    /// <summary>Dictionaries, lists and scalars: the shapes YamlDotNet (and Pulumi's serializer) understand.</summary>
    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? (long)i
                : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => throw new ArgumentException($"unsupported node {node.GetType().Name}", nameof(node)),
    };
}
