using k8s.Models;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// The GPU Operator's configs among manifest documents: ConfigMaps recognized by their content (the MIG manager's
/// <c>config.yaml</c>, the device plugin's entries), read as the service reads them from the cluster. Their problems
/// come back as manifest errors naming the file and the field.
/// </summary>
internal static class GpuOperatorInput
{
    /// <summary>
    /// The configs, the errors, and every v1 ConfigMap that read as one with its document (in document order), so a
    /// caller that keeps the maps does not read them again.
    /// </summary>
    public static (GpuOperatorConfig Config, IReadOnlyList<ManifestError> Errors, IReadOnlyList<(ManifestDocument Document, V1ConfigMap Map)> Maps) From(
        IEnumerable<ManifestDocument> documents, GpuOperatorSource? settings = null)
    {
        var errors = new List<ManifestError>();
        var maps = new List<(ManifestDocument Document, V1ConfigMap Map)>();
        foreach (var document in documents.Where(d => d.ApiVersion == "v1" && d.Kind == "ConfigMap"))
        {
            var (map, error) = TypedDocument.Read<V1ConfigMap>(document);
            if (error is not null)
            {
                errors.Add(error);
            }
            else if (map is not null)
            {
                maps.Add((document, map));
            }
        }

        var named = maps.Where(m => m.Map.Metadata is not null).ToList();
        var config = GpuOperatorConfig.From(named.Select(m => m.Map), settings ?? GpuOperatorSource.ByContent);
        foreach (var problem in config.Errors)
        {
            var source = named.First(m => m.Map.Metadata.Name == problem.Name && (m.Map.Metadata.NamespaceProperty ?? "") == problem.Namespace).Document;
            errors.Add(new ManifestError(source.File, source.Object, problem.Error, source.Line));
        }

        return (config, errors, maps);
    }
}
