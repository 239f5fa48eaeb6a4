using System.Collections.Frozen;
using Platform.Autoscaler.Api.Serialization;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// Checks an object's metadata as the API server does for every kind: known ObjectMeta fields only, a string name,
/// and labels and annotations that are maps of strings with valid label keys and values. The CRD leaves metadata to
/// the API server, so the schema-driven check does not reach it. The returned copy holds only what passed, so the
/// typed reader never meets a list where it expects a string.
/// </summary>
internal static class MetadataValidator
{
    private static readonly FrozenSet<string> Fields = FrozenSet.ToFrozenSet(
    [
        "name", "generateName", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "finalizers", "ownerReferences",
        "managedFields", "selfLink",
    ], StringComparer.Ordinal);

    public static (YamlMappingNode Clean, IReadOnlyList<(FieldError Error, YamlNode Node)> Errors) Validate(YamlNode? metadata)
    {
        var errors = new List<(FieldError, YamlNode)>();
        var clean = new YamlMappingNode();
        if (metadata is null)
        {
            return (clean, errors);
        }

        if (metadata is not YamlMappingNode mapping)
        {
            errors.Add((new FieldError("metadata", $"must be an object, got {Describe(metadata)}"), metadata));
            return (clean, errors);
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            var path = FieldPath.Child("metadata", key);
            if (!Fields.Contains(key))
            {
                errors.Add((new FieldError(path, UnknownField.Message("metadata", key, Fields)), keyNode));
                continue;
            }

            var problems = key switch
            {
                "name" or "generateName" or "namespace" => StringProblem(value, path),
                "labels" => MapProblems(value, path, labels: true),
                "annotations" => MapProblems(value, path, labels: false),
                _ => [],
            };
            errors.AddRange(problems);
            if (problems.Count == 0)
            {
                clean.Add(new YamlScalarNode(key), value);
            }
        }

        return (clean, errors);
    }

    private static List<(FieldError, YamlNode)> StringProblem(YamlNode value, string path) =>
        value is YamlScalarNode scalar && ScalarResolver.Resolve(scalar) is ScalarKind.String
            ? []
            : [(new FieldError(path, $"must be a string, got {Describe(value)}"), value)];

    private static List<(FieldError, YamlNode)> MapProblems(YamlNode value, string path, bool labels)
    {
        if (value is YamlScalarNode nullNode && ScalarResolver.Resolve(nullNode) is ScalarKind.Null)
        {
            return [];
        }

        if (value is not YamlMappingNode map)
        {
            return [(new FieldError(path, $"must be a map of strings, got {Describe(value)}"), value)];
        }

        var problems = new List<(FieldError, YamlNode)>();
        foreach (var (keyNode, entry) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var entryPath = FieldPath.Key(path, key);
            if (entry is not YamlScalarNode scalar)
            {
                problems.Add((new FieldError(entryPath, $"must be a string, got {Describe(entry)}"), entry));
            }
            else if (labels && !LabelRules.IsValidKey(key))
            {
                problems.Add((new FieldError(entryPath, $"invalid label key \"{key}\": {PatternHints.Describe(Patterns.QualifiedName)}"), keyNode));
            }
            else if (labels && !LabelRules.IsValidValue(scalar.Value ?? ""))
            {
                problems.Add((new FieldError(entryPath, $"invalid label value \"{scalar.Value}\": {PatternHints.Describe(Patterns.LabelValue)}"), entry));
            }
            else if (ScalarResolver.Resolve(scalar) is not ScalarKind.String)
            {
                // The API server takes only strings here: `enabled: true` must be written `enabled: "true"`.
                problems.Add((new FieldError(entryPath, $"must be a string, got {ScalarResolver.Describe(ScalarResolver.Resolve(scalar))} ({scalar.Value}); quote it: \"{scalar.Value}\""), entry));
            }
        }

        return problems;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "an object",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"{ScalarResolver.Describe(ScalarResolver.Resolve(s))} ({s.Value})",
        _ => "an alias",
    };
}
