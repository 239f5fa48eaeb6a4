using k8s;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Tests.TestKit;

/// <summary>Reads objects and YAML through the real reader, as the CLI and the service do.</summary>
internal static class Read
{
    public static ManifestSet Yaml(string yaml, string file = "test.yaml") => new ManifestReader().Read(file, yaml);

    public static ManifestSet Object(object value) => Yaml(KubernetesYaml.Serialize(value));

    /// <summary>The field errors of one object, as "path: message" strings.</summary>
    public static IReadOnlyList<string> Errors(object value) => Object(value).Errors.Select(e => e.Error.ToString()).ToList();

    public static IReadOnlyList<string> Errors(string yaml) => Yaml(yaml).Errors.Select(e => e.Error.ToString()).ToList();

    public static IReadOnlyList<FieldError> FieldErrors(object value) => Object(value).Errors.Select(e => e.Error).ToList();
}
