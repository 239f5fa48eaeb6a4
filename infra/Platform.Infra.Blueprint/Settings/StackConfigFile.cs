using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// Reads a <c>Pulumi.&lt;env&gt;.yaml</c> stack file into the flat form Pulumi hands a program: one raw string per
/// <c>namespace:key</c>, objects and lists as JSON. Tests and tools use it to read settings without the Pulumi engine.
/// </summary>
public static class StackConfigFile
{
    /// <summary>The <c>config:</c> section of a stack file, flattened.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("config"), out var config))
        {
            return result;
        }

        if (config is not YamlMappingNode entries)
        {
            throw new FormatException("config: must be a mapping of namespace:key to value");
        }

        foreach (var (key, value) in entries.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            result[name] = value is YamlScalarNode scalar ? scalar.Value ?? "" : ToJson(value)!.ToJsonString();
        }

        return result;
    }

    // Typed as Pulumi types structured config: plain scalars that look like numbers or booleans become them.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s when s.Value is null or "" or "~" or "null" => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: ScalarStyle.Plain } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new FormatException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    /// <summary>A lookup over the parsed file, as <see cref="SettingsReader.Read"/> takes it.</summary>
    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> config) =>
        key => config.TryGetValue(key, out var value) ? value : null;

    internal static JsonElement? ParseValue(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var trimmed = raw.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[')
            ? JsonDocument.Parse(raw).RootElement.Clone()
            : JsonSerializer.SerializeToElement(raw);
    }
}
