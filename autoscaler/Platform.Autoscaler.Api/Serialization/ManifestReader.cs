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

    /// <summary>Reads all documents of one file's text.</summary>
    public ManifestSet Read(string file, string text)
    {
        var stream = new YamlStream();
        ManifestError? syntaxError = null;
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // Documents before the broken one are kept; the stream cannot be read past it.
            syntaxError = new ManifestError(file, null, new FieldError("", $"YAML syntax error: {CleanMessage(e)}"), (int)e.Start.Line, (int)e.Start.Column);
        }

        var result = ManifestSet.Empty;
        foreach (var document in stream.Documents)
        {
            result = result.Concat(ReadDocument(file, document.RootNode));
        }

        return syntaxError is null ? result : result with { Errors = [.. result.Errors, syntaxError] };
    }

    private ManifestSet ReadDocument(string file, YamlNode root)
    {
        var line = (int)root.Start.Line;
        if (root is YamlScalarNode { Value: null or "" })
        {
            return ManifestSet.Empty; // a document of comments only
        }

        if (root is not YamlMappingNode mapping)
        {
            return Error(new ManifestError(file, null, new FieldError("", "a manifest document must be an object with apiVersion and kind"), line, (int)root.Start.Column));
        }

        var source = new ManifestDocument(file, line, Scalar(mapping, "apiVersion"), Scalar(mapping, "kind"), MetadataName(mapping));
        if (source.ApiVersion.Length == 0 || source.Kind.Length == 0)
        {
            var missing = source.ApiVersion.Length == 0 ? "apiVersion" : "kind";
            return Error(new ManifestError(file, source.Object, new FieldError(missing, "required"), line));
        }

        if (Migration.IsRetired(source.ApiVersion))
        {
            var errors = Migration.Explain(source.ApiVersion, source.Kind, mapping)
                .Select(e => new ManifestError(file, source.Object, e, line));
            return new ManifestSet([], [], [.. errors]);
        }

        if (!kinds.TryGetValue((source.ApiVersion, source.Kind), out var kind))
        {
            return IsKarpenterGroup(source.ApiVersion)
                ? Error(new ManifestError(file, source.Object, new FieldError("kind", $"unsupported kind {source.Kind} in {source.ApiVersion}; this product reads NodePool and NodeClaim (karpenter.sh/v1) and EC2NodeClass (karpenter.k8s.aws/v1)"), line))
                : new ManifestSet([], [source with { Yaml = ToYaml(mapping) }], []);
        }

        return ReadKarpenterObject(source, mapping, kind);
    }

    private static ManifestSet ReadKarpenterObject(ManifestDocument source, YamlMappingNode mapping, KarpenterKind kind)
    {
        var (clean, structural) = StructuralValidator.Validate(mapping, kind.Schema);
        var errors = structural
            .Select(e => new ManifestError(source.File, source.Object, e.Error, (int)e.Node.Start.Line, (int)e.Node.Start.Column))
            .Concat(MetadataErrors(mapping).Select(e => new ManifestError(source.File, source.Object, e, source.Line)))
            .ToList();

        // The clean tree holds only well-formed fields, so the typed read cannot fail on shape and the
        // semantic rules still run on everything that was readable.
        var typed = kind.Deserialize(ToYaml(clean!));
        errors.AddRange(typed.Validate().Select(e => new ManifestError(source.File, source.Object, e, source.Line)));
        return errors.Count == 0
            ? new ManifestSet([new ManifestObject(source, typed)], [], [])
            : new ManifestSet([], [], errors);
    }

    private static IEnumerable<FieldError> MetadataErrors(YamlMappingNode mapping)
    {
        var name = MetadataName(mapping);
        if (name.Length == 0)
        {
            yield return new FieldError("metadata.name", "required");
        }
        else if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            yield return new FieldError("metadata.name", $"invalid name \"{name}\": must be a lower case DNS subdomain (a-z, 0-9, '-' and '.', at most 253 characters, starting and ending with an alphanumeric)");
        }
    }

    private static string ToYaml(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static ManifestSet Error(ManifestError error) => new([], [], [error]);

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
