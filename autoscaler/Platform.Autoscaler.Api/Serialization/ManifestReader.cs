using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Platform.Autoscaler.Api.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Reads multi-document manifest files into typed Karpenter objects. Every document is checked against its kind's
/// schema (unknown fields are errors), then against the kind's own rules; all errors are collected, none stops the read.
/// Documents of other kinds are listed as skipped. v1beta1 documents are refused with what to change.
/// </summary>
public sealed partial class ManifestReader
{
    private readonly FrozenDictionary<(string ApiVersion, string Kind), KarpenterKind> kinds =
        KarpenterKind.CreateAll().ToFrozenDictionary(k => (k.ApiVersion, k.Kind));

    private readonly SchemaPatterns patterns = new();

    /// <summary>Reads all documents of one file's text.</summary>
    public ManifestSet Read(string file, string text) => Read(file, new StringReader(text));

    /// <summary>
    /// Reads all documents of one file, one document at a time, so time and memory grow with the file's size and
    /// never with its square; the next documents are parsed while one is checked (<see cref="DocumentPipeline"/>).
    /// <paramref name="progress"/> hears the characters read after each document.
    /// </summary>
    public ManifestSet Read(string file, TextReader text, Action<long>? progress = null)
    {
        var builder = new ManifestSetBuilder();
        try
        {
            foreach (var (documents, position) in DocumentPipeline.Read(text))
            {
                foreach (var document in documents)
                {
                    ReadDocument(file, document.RootNode, builder);
                }

                progress?.Invoke(position);
            }
        }
        catch (YamlException e)
        {
            // Documents before the broken one are kept; the stream cannot be read past it.
            var what = e is NestingTooDeepException ? "YAML not read" : "YAML syntax error";
            builder.Errors.Add(new ManifestError(file, null, new FieldError("", $"{what}: {CleanMessage(e)}"), (int)e.Start.Line, (int)e.Start.Column));
        }

        return builder.Build();
    }

    private void ReadDocument(string file, YamlNode root, ManifestSetBuilder builder)
    {
        var line = (int)root.Start.Line;
        if (root is YamlScalarNode { Value: null or "" })
        {
            return; // a document of comments only
        }

        if (root is not YamlMappingNode mapping)
        {
            builder.Errors.Add(new ManifestError(file, null, new FieldError("", "a manifest document must be an object with apiVersion and kind"), line, (int)root.Start.Column));
            return;
        }

        var source = new ManifestDocument(file, line, Scalar(mapping, "apiVersion"), Scalar(mapping, "kind"), MetadataName(mapping));
        if (source.ApiVersion.Length == 0 || source.Kind.Length == 0)
        {
            var missing = source.ApiVersion.Length == 0 ? "apiVersion" : "kind";
            builder.Errors.Add(new ManifestError(file, source.Object, new FieldError(missing, "required"), line));
            return;
        }

        if (source is { ApiVersion: "v1", Kind: "List" })
        {
            ReadList(file, mapping, source, builder);
            return;
        }

        if (Migration.IsRetired(source.ApiVersion))
        {
            builder.Errors.AddRange(Migration.Explain(source.ApiVersion, source.Kind, mapping).Select(e => new ManifestError(file, source.Object, e, line)));
            return;
        }

        if (!kinds.TryGetValue((source.ApiVersion, source.Kind), out var kind))
        {
            if (IsKarpenterGroup(source.ApiVersion))
            {
                builder.Errors.Add(new ManifestError(file, source.Object, new FieldError("kind", $"unsupported kind {source.Kind} in {source.ApiVersion}; this product reads NodePool and NodeClaim (karpenter.sh/v1) and EC2NodeClass (karpenter.k8s.aws/v1)"), line));
            }
            else
            {
                builder.Skipped.Add(source with { Json = YamlJson.Write(mapping) });
            }

            return;
        }

        var read = ReadKarpenterObject(source, mapping, kind);
        builder.Objects.AddRange(read.Objects);
        builder.Errors.AddRange(read.Errors);
    }

    /// <summary>kubectl's <c>kind: List</c> (what <c>kubectl get -o yaml</c> prints): each item is read as a document.</summary>
    private void ReadList(string file, YamlMappingNode list, ManifestDocument source, ManifestSetBuilder builder)
    {
        if (!list.Children.TryGetValue(new YamlScalarNode("items"), out var items) || items is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return;
        }

        if (items is not YamlSequenceNode sequence)
        {
            builder.Errors.Add(new ManifestError(file, source.Object, new FieldError("items", "must be a list of objects"), (int)items.Start.Line, (int)items.Start.Column));
            return;
        }

        foreach (var item in sequence.Children)
        {
            ReadDocument(file, item, builder);
        }
    }

    /// <summary>
    /// Every error `validate` would report for an object read from the API server (typed, as the informers hold it):
    /// the service skips what this refuses, so `validate` and the running autoscaler judge alike.
    /// </summary>
    public IReadOnlyList<FieldError> Check(string apiVersion, string kind, object value)
    {
        if (!kinds.TryGetValue((apiVersion, kind), out var known))
        {
            throw new ArgumentException($"{apiVersion} {kind} is not a kind this product reads", nameof(kind));
        }

        // JSON is YAML: the same structural pass reads it, with strings quoted as the API server returned them.
        var stream = new YamlStream();
        stream.Load(new StringReader(k8s.KubernetesJson.Serialize(value)));
        var mapping = (YamlMappingNode)stream.Documents[0].RootNode;
        var source = new ManifestDocument("", 0, apiVersion, kind, MetadataName(mapping));
        return [.. ReadKarpenterObject(source, mapping, known).Errors.Select(e => e.Error)];
    }

    private ManifestSet ReadKarpenterObject(ManifestDocument source, YamlMappingNode mapping, KarpenterKind kind)
    {
        var (clean, structural) = StructuralValidator.Validate(mapping, kind.Schema, patterns);
        var (metadata, metadataErrors) = MetadataValidator.Validate(mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m : null);
        var errors = structural.Concat(metadataErrors)
            .Select(e => new ManifestError(source.File, source.Object, e.Error, (int)e.Node.Start.Line, (int)e.Node.Start.Column))
            .Concat(NameErrors(mapping).Select(e => new ManifestError(source.File, source.Object, e, source.Line)))
            .ToList();

        // The clean tree holds only well-formed fields, so the typed read cannot fail on shape and the
        // semantic rules still run on everything that was readable.
        ((YamlMappingNode)clean!).Children[new YamlScalarNode("metadata")] = metadata;
        var typed = kind.Deserialize(YamlJson.Write(clean));
        errors.AddRange(typed.Validate().Select(e => new ManifestError(source.File, source.Object, e, source.Line)));
        return errors.Count == 0
            ? new ManifestSet([new ManifestObject(source, typed)], [], [])
            : new ManifestSet([], [], errors);
    }

    private static IEnumerable<FieldError> NameErrors(YamlMappingNode mapping)
    {
        var name = MetadataName(mapping);
        if (mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
            && m.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode) && nameNode is not YamlScalarNode)
        {
            yield break; // the metadata check already says it must be a string
        }

        if (name.Length == 0)
        {
            yield return new FieldError("metadata.name", "required");
        }
        else if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            yield return new FieldError("metadata.name", $"invalid name \"{name}\": must be a lower case DNS subdomain (a-z, 0-9, '-' and '.', at most 253 characters, starting and ending with an alphanumeric)");
        }
    }

    private static bool IsKarpenterGroup(string apiVersion) =>
        apiVersion.StartsWith(WellKnownLabels.KarpenterGroup + "/", StringComparison.Ordinal)
        || apiVersion.StartsWith(WellKnownLabels.AwsGroup + "/", StringComparison.Ordinal);

    private static string Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value ?? "" : "";

    private static string MetadataName(YamlMappingNode mapping) =>
        mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
            ? Scalar(m, "name")
            : "";

    private static string CleanMessage(YamlException e)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is printed separately.
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
