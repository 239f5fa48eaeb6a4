using YamlDotNet.Core;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>A document nests deeper than <see cref="DocumentParser.MaxDepth"/>: well-formed YAML this product will not read.</summary>
public sealed class NestingTooDeepException(Mark start, Mark end)
    : YamlException(start, end, $"the document nests deeper than {DocumentParser.MaxDepth} levels; manifests are far shallower");
