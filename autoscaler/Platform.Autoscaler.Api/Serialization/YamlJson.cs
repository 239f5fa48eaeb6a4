using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Writes a YAML tree as the JSON kubectl would send for it: plain scalars resolved with YAML 1.1's rules
/// (<see cref="ScalarResolver"/>), quoted ones as strings. The typed objects are then read with System.Text.Json and
/// KubernetesClient's converters, as the service reads them from the API server, without a second YAML parse.
/// </summary>
public static class YamlJson
{
    /// <summary>The JSON text of a node.</summary>
    public static string Write(YamlNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(node, writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(YamlNode node, Utf8JsonWriter writer)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName((key as YamlScalarNode)?.Value ?? "");
                    Write(value, writer);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(scalar, writer);
                break;
            default:
                writer.WriteNullValue(); // an alias: anchors are not used in manifests
                break;
        }
    }

    private static void WriteScalar(YamlScalarNode scalar, Utf8JsonWriter writer)
    {
        var text = scalar.Value ?? "";
        switch (ScalarResolver.Resolve(scalar))
        {
            case ScalarKind.Null:
                writer.WriteNullValue();
                break;
            case ScalarKind.Boolean:
                writer.WriteBooleanValue(text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y");
                break;
            case ScalarKind.Integer when Integer(text) is { } number:
                writer.WriteNumberValue(number);
                break;
            case ScalarKind.Float when double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }

    /// <summary>A YAML 1.1 integer (decimal, 0x hex, 0 octal, 0b binary, '_' separators), or null beyond 64 bits.</summary>
    private static long? Integer(string text)
    {
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        var negative = digits.StartsWith('-');
        digits = digits.TrimStart('-', '+');
        var (radix, body) = digits switch
        {
            _ when digits.StartsWith("0x", StringComparison.Ordinal) => (16, digits[2..]),
            _ when digits.StartsWith("0b", StringComparison.Ordinal) => (2, digits[2..]),
            _ when digits.Length > 1 && digits[0] == '0' => (8, digits[1..]),
            _ => (10, digits),
        };
        try
        {
            var value = radix == 10 ? long.Parse(body, NumberStyles.None, CultureInfo.InvariantCulture) : Convert.ToInt64(body, radix);
            return negative ? -value : value;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
