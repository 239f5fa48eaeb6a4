using k8s.Models;

namespace Platform.Autoscaler.Api.Schema;

/// <summary>A generated CRD with the file name it is kept under and its YAML text.</summary>
/// <param name="FileName">group_plural.yaml, as Karpenter names its CRD files.</param>
/// <param name="Definition">The CRD object.</param>
/// <param name="Yaml">The YAML text, with a header saying it is generated.</param>
public sealed record GeneratedCrd(string FileName, V1CustomResourceDefinition Definition, string Yaml);
