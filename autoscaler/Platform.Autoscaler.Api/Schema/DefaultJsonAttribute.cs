using System.Text.Json;

namespace Platform.Autoscaler.Api;

/// <summary>A default the API server fills in for an absent object or list field, written as JSON.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultJsonAttribute(string json) : Attribute
{
    /// <summary>The default as plain dictionaries, lists and scalars, ready for the schema.</summary>
    public object? Value => Plain(JsonDocument.Parse(json).RootElement);

    private static object? Plain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
