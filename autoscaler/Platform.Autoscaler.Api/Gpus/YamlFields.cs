using System.Globalization;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// Reads the GPU Operator's config files (mig-parted's and the device plugin's YAML) field by field, collecting an
/// error with its field path for each thing wrong, the way the manifest reader does for Karpenter objects.
/// </summary>
internal sealed class YamlFields(string root)
{
    public List<FieldError> Errors { get; } = [];

    public void Error(string path, string message) => Errors.Add(new FieldError(path, message));

    /// <summary>The document's root mapping, or null with an error.</summary>
    public YamlMappingNode? Parse(string text)
    {
        // The manifest reader's parser: YamlDotNet's own failures and too deep nesting come back as YamlExceptions.
        List<YamlDocument> documents;
        try
        {
            documents = [.. DocumentParser.ReadDocuments(new StringReader(text))];
        }
        catch (YamlException e)
        {
            Error(root, $"not YAML: {e.Message} (line {e.Start.Line}, column {e.Start.Column})");
            return null;
        }

        if (documents.Count != 1 || documents[0].RootNode is not YamlMappingNode mapping)
        {
            Error(root, "must be one YAML mapping");
            return null;
        }

        // An alias YamlDotNet could not resolve stays a placeholder that throws when compared: refuse it up front.
        if (Unresolved(mapping) is { } alias)
        {
            Error(root, $"the alias *{alias.Anchor} (line {alias.Start.Line}) names no anchor before it");
            return null;
        }

        return mapping;
    }

    // YamlDotNet's alias node type is internal: it is the kind that is none of the other three.
    private static YamlNode? Unresolved(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(c => new[] { c.Key, c.Value }).Select(Unresolved).FirstOrDefault(a => a is not null),
        YamlSequenceNode sequence => sequence.Children.Select(Unresolved).FirstOrDefault(a => a is not null),
        YamlScalarNode => null,
        _ => node,
    };

    /// <summary>A mapping's value for a key, found without hashing the nodes (an alias node cannot be hashed).</summary>
    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var name } && name == key).Value;

    /// <summary>Each entry of a mapping with its key; an error for a key outside <paramref name="known"/> (when given).</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string path, IReadOnlyCollection<string>? known = null)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (known is not null && !known.Contains(key))
            {
                Error(FieldPath.Child(path, key), $"unknown field (known: {string.Join(", ", known)})");
                continue;
            }

            yield return (key, value);
        }
    }

    public YamlMappingNode? Mapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(path, $"must be a mapping, got {Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string path)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(path, $"must be a list, got {Describe(node)}");
        return null;
    }

    public string? String(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && ScalarResolver.Resolve(scalar) == ScalarKind.String)
        {
            return scalar.Value ?? "";
        }

        Error(path, $"must be a string, got {Describe(node)}");
        return null;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && ScalarResolver.Resolve(scalar) == ScalarKind.Boolean)
        {
            return (scalar.Value ?? "").ToLowerInvariant() is "true" or "yes" or "on" or "y";
        }

        Error(path, $"must be a boolean, got {Describe(node)}");
        return null;
    }

    public int? Integer(YamlNode node, string path, int min, int max)
    {
        if (node is YamlScalarNode scalar && ScalarResolver.Resolve(scalar) == ScalarKind.Integer
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value < min || value > max)
            {
                Error(path, $"must be from {min} to {max}, got {value}");
                return null;
            }

            return value;
        }

        Error(path, $"must be an integer, got {Describe(node)}");
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"{ScalarResolver.Describe(ScalarResolver.Resolve(scalar))} ({Quote(scalar.Value ?? "")})",
        _ => "an alias",
    };

    private static string Quote(string value) => value.Length > 40 ? $"\"{value[..40]}...\"" : $"\"{value}\"";
}
