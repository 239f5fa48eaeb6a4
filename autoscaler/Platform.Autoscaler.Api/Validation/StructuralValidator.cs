using System.Globalization;
using k8s.Models;
using Platform.Autoscaler.Api.Schema;
using Platform.Autoscaler.Api.Serialization;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// Checks a YAML object against the OpenAPI schema of its kind, as the API server would: unknown fields, missing
/// required fields, types, enums, patterns, ranges and sizes. Every problem is reported, and the returned copy of
/// the tree has the offending nodes removed so the typed reader and the semantic rules see only well-formed data.
/// </summary>
internal sealed class StructuralValidator
{
    private readonly List<(FieldError Error, YamlNode Node)> errors = [];
    private readonly SchemaPatterns patterns;

    private StructuralValidator(SchemaPatterns patterns) => this.patterns = patterns;

    public static (YamlNode? Clean, IReadOnlyList<(FieldError Error, YamlNode Node)> Errors) Validate(
        YamlNode node, V1JSONSchemaProps schema, SchemaPatterns patterns, string path = "")
    {
        var validator = new StructuralValidator(patterns);
        var clean = validator.Visit(node, schema, path);
        return (clean, validator.errors);
    }

    private YamlNode? Visit(YamlNode node, V1JSONSchemaProps schema, string path)
    {
        if (schema.XKubernetesIntOrString == true)
        {
            return VisitIntOrString(node, schema, path);
        }

        return schema.Type switch
        {
            "object" => VisitObject(node, schema, path),
            "array" => VisitArray(node, schema, path),
            _ => VisitScalar(node, schema, path),
        };
    }

    private YamlNode? VisitObject(YamlNode node, V1JSONSchemaProps schema, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            return Fail(node, path, $"must be an object, got {Describe(node)}");
        }

        var clean = new YamlMappingNode();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (IsNull(valueNode))
            {
                continue; // the API server prunes nulls of non-nullable fields: same as absent
            }

            V1JSONSchemaProps? child = null;
            string childPath;
            if (schema.Properties is { } properties)
            {
                childPath = FieldPath.Child(path, key);
                if (!properties.TryGetValue(key, out child))
                {
                    Fail(keyNode, childPath, UnknownField.Message(path, key, properties.Keys));
                    continue;
                }
            }
            else
            {
                childPath = FieldPath.Key(path, key);
                child = schema.AdditionalProperties as V1JSONSchemaProps;
            }

            if (child is null)
            {
                clean.Add(keyNode, valueNode); // free-form (metadata)
                continue;
            }

            if (Visit(valueNode, child, childPath) is { } cleanValue)
            {
                clean.Add(new YamlScalarNode(key), cleanValue);
            }
        }

        foreach (var required in schema.Required ?? [])
        {
            var present = mapping.Children.Any(c => (c.Key as YamlScalarNode)?.Value == required && !IsNull(c.Value));
            var defaulted = schema.Properties?.TryGetValue(required, out var p) == true && p.DefaultProperty is not null;
            if (!present && !defaulted)
            {
                Fail(node, FieldPath.Child(path, required), "required");
            }
        }

        CheckCount(node, path, mapping.Children.Count, schema.MinProperties, schema.MaxProperties, "entries");
        return clean;
    }

    private YamlNode? VisitArray(YamlNode node, V1JSONSchemaProps schema, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return Fail(node, path, $"must be a list, got {Describe(node)}");
        }

        var clean = new YamlSequenceNode();
        var itemSchema = (V1JSONSchemaProps)schema.Items;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (Visit(sequence.Children[i], itemSchema, FieldPath.Index(path, i)) is { } item)
            {
                clean.Add(item);
            }
        }

        CheckCount(node, path, sequence.Children.Count, schema.MinItems, schema.MaxItems, "items");
        return clean;
    }

    private YamlNode? VisitIntOrString(YamlNode node, V1JSONSchemaProps schema, string path)
    {
        if (node is not YamlScalarNode scalar || ScalarResolver.Resolve(scalar) is ScalarKind.Boolean or ScalarKind.Null)
        {
            return Fail(node, path, $"must be a quantity such as 2, 500m, 16Gi, got {Describe(node)}");
        }

        var text = scalar.Value ?? "";
        if (schema.Pattern is { } pattern && !patterns.IsMatch(text, pattern))
        {
            return Fail(node, path, pattern == Patterns.Quantity
                ? $"invalid quantity \"{text}\": use a number with an optional suffix such as m, Ki, Mi, Gi, k, M, G"
                : $"invalid quantity \"{text}\": {PatternHints.Describe(pattern)}");
        }

        // A map of quantities is keyed by resource name (limits[cpu]): cpu counts in millicores.
        var resource = path.EndsWith(']') && path.LastIndexOf('[') is var open and >= 0 ? path[(open + 1)..^1] : "";
        // Every int-or-string field of these kinds is a quantity; whatever its pattern, it must fit the autoscaler's units.
        if (!Quantities.TryToBaseUnits(resource, text, out _, out var problem))
        {
            return Fail(node, path, problem);
        }

        // Quoted, so the typed read gets the text as written (a quantity parsed from "32", not from 32.0).
        return new YamlScalarNode(text) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
    }

    private YamlNode? VisitScalar(YamlNode node, V1JSONSchemaProps schema, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            return Fail(node, path, $"must be {Expected(schema)}, got {Describe(node)}");
        }

        var kind = ScalarResolver.Resolve(scalar);
        var text = scalar.Value ?? "";
        switch (schema.Type)
        {
            case "string" when kind != ScalarKind.String:
                return Fail(node, path, $"must be a string, got {ScalarResolver.Describe(kind)} ({text}); quote it: \"{text}\"");
            case "boolean" when kind != ScalarKind.Boolean:
                return Fail(node, path, $"must be a boolean (true or false), got {ScalarResolver.Describe(kind)} ({text})");
            case "integer" when kind != ScalarKind.Integer:
                return Fail(node, path, $"must be an integer, got {ScalarResolver.Describe(kind)} ({text})");
        }

        if (schema.Format == "date-time" && !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            return Fail(node, path, $"invalid date-time \"{text}\": use RFC 3339, e.g. 2024-01-02T15:04:05Z");
        }

        if (schema.EnumProperty is { Count: > 0 } allowed && !allowed.Any(a => string.Equals(a?.ToString(), text, StringComparison.Ordinal)))
        {
            return Fail(node, path, $"unsupported value \"{text}\": supported values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
        }

        if (schema.Pattern is { } pattern && !patterns.IsMatch(text, pattern))
        {
            return Fail(node, path, $"invalid value \"{text}\": {PatternHints.Describe(pattern)}");
        }

        if (schema.Pattern is Patterns.Duration or Patterns.NillableDuration or Patterns.BudgetDuration
            && !KarpenterDuration.TryParse(text, out _, out var durationProblem))
        {
            return Fail(node, path, durationProblem);
        }

        if (schema.Type == "string")
        {
            CheckCount(node, path, text.Length, schema.MinLength, schema.MaxLength, "characters");
        }

        if (schema.Type == "integer")
        {
            if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return Fail(node, path, $"integer {text} is out of range");
            }

            if ((schema.Minimum is { } min && number < min) || (schema.Maximum is { } max && number > max))
            {
                return Fail(node, path, $"must be {RangeText(schema)}, got {number}");
            }
        }

        return new YamlScalarNode(text) { Style = kind == ScalarKind.String ? YamlDotNet.Core.ScalarStyle.DoubleQuoted : YamlDotNet.Core.ScalarStyle.Plain };
    }

    private static string RangeText(V1JSONSchemaProps schema) => (schema.Minimum, schema.Maximum) switch
    {
        ({ } min, { } max) => $"between {min} and {max}",
        ({ } min, null) => $"at least {min}",
        (null, { } max) => $"at most {max}",
        _ => "in range",
    };

    private void CheckCount(YamlNode node, string path, int count, long? min, long? max, string unit)
    {
        if (min is { } lo && count < lo)
        {
            Fail(node, path, $"must have at least {lo} {unit}, got {count}");
        }
        else if (max is { } hi && count > hi)
        {
            Fail(node, path, $"must have at most {hi} {unit}, got {count}");
        }
    }

    private YamlNode? Fail(YamlNode node, string path, string message)
    {
        errors.Add((new FieldError(path, message), node));
        return null;
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode s && ScalarResolver.Resolve(s) == ScalarKind.Null;

    private static string Expected(V1JSONSchemaProps schema) => schema.Type switch
    {
        "boolean" => "a boolean",
        "integer" => "an integer",
        "number" => "a number",
        _ => "a string",
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "an object",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"{ScalarResolver.Describe(ScalarResolver.Resolve(s))} ({s.Value})",
        _ => "an alias",
    };
}
