using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Reads a document of another kind (a Deployment, a PodDisruptionBudget) into a KubernetesClient model. A value of
/// the wrong type is an error naming the field, what it must be and what it was, never a serializer's stack trace.
/// </summary>
public static partial class TypedDocument
{
    /// <summary>The typed object, or the error that stopped it.</summary>
    public static (T? Value, ManifestError? Error) Read<T>(ManifestDocument document)
        where T : class
    {
        var (value, error) = Read<T>(document.Json);
        return (value, error is null ? null : new ManifestError(document.File, document.Object, error, document.Line));
    }

    /// <summary>The typed object read from JSON, or the field error that stopped it.</summary>
    public static (T? Value, FieldError? Error) Read<T>(string json)
        where T : class
    {
        try
        {
            return (KubernetesJson.Deserialize<T>(json), null);
        }
        catch (JsonException e)
        {
            return (null, JsonError(typeof(T), json, e));
        }
        catch (NotSupportedException e) when (JsonPath().Match(e.Message) is { Success: true } at)
        {
            // A converter that cannot read this token at all (IntOrString given a list) reports only in its message.
            return (null, JsonError(typeof(T), json, new JsonException(e.Message, at.Groups[1].Value, null, null)));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // A converter refused a value (a quantity such as "12 cores"): the message names it, not the field.
            return (null, new FieldError("", $"cannot read it as {typeof(T).Name}: {e.Message}"));
        }
    }

    /// <summary>
    /// A System.Text.Json failure as a field error: the path, what <paramref name="root"/> expects there, and the value
    /// found. Without a path (the text is not JSON at all) the reader's own message, which names line and byte.
    /// </summary>
    public static FieldError JsonError(Type root, string json, JsonException error)
    {
        if (error.Path is null or "$")
        {
            // The reader quotes the bad token, which may be a page of binary: one line, cut short.
            var message = error.Message.ReplaceLineEndings("\\n");
            return new FieldError("", message.Length <= 300 ? message : message[..300] + "...");
        }

        var (path, expected) = Describe(root, error.Path);
        var got = ValueAt(json, error.Path);
        // A key may hold a line break; the error stays one line.
        return new FieldError(path.ReplaceLineEndings("\\n"), $"must be {expected}" + (got is null ? "" : $", got {got.ReplaceLineEndings("\\n")}"));
    }

    /// <summary>The field path of a System.Text.Json path, and what the model type expects there.</summary>
    internal static (string Path, string Expected) Describe(Type root, string jsonPath)
    {
        var type = root;
        var path = "";
        foreach (Match segment in Segment().Matches(jsonPath))
        {
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["quoted"].Success ? segment.Groups["quoted"].Value : null;
            var index = segment.Groups["index"].Success ? segment.Groups["index"].Value : null;
            if (index is not null)
            {
                path = $"{path}[{index}]";
                type = ElementType(type) ?? typeof(object);
            }
            else if (name is not null && DictionaryValue(type) is { } valueType)
            {
                path = FieldPath.Key(path, name);
                type = valueType;
            }
            else if (name is not null)
            {
                path = FieldPath.Child(path, name);
                type = Property(type, name)?.PropertyType ?? typeof(object);
            }
        }

        return (path, Expected(type));
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(int) => "an integer from -2147483648 to 2147483647",
            _ when type == typeof(long) => "an integer",
            _ when type == typeof(bool) => "a boolean (true or false)",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(IntOrString) => "an integer or a string such as 25%",
            _ when type == typeof(ResourceQuantity) => "a quantity such as 2, 500m or 16Gi",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an RFC 3339 date-time",
            _ when DictionaryValue(type) is not null => "a map",
            _ when ElementType(type) is not null => "a list",
            _ => "an object",
        };
    }

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IDictionary<,>).MakeGenericType(key, value).IsAssignableFrom(type)
            ? value
            : null;

    private static Type? ElementType(Type type) =>
        type == typeof(string) || DictionaryValue(type) is not null ? null
        : type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0]
        : null;

    private static PropertyInfo? Property(Type type, string jsonName) =>
        type.GetProperties().FirstOrDefault(p =>
            string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), jsonName, StringComparison.Ordinal));

    private static string? ValueAt(string json, string? jsonPath)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(json);
            foreach (Match segment in Segment().Matches(jsonPath ?? ""))
            {
                node = segment.Groups["index"].Success
                    ? (node as JsonArray)?[int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]
                    : (node as JsonObject)?[segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value];
            }

            return node switch
            {
                null => null,
                JsonObject => "an object",
                JsonArray => "a list",
                JsonValue value when value.GetValueKind() == JsonValueKind.String => $"\"{value}\"",
                _ => node.ToJsonString(),
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"Path: (\$[^ |]*)")]
    private static partial Regex JsonPath();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>[0-9]+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex Segment();
}
