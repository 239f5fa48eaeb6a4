namespace Platform.Autoscaler.Api.Serialization;

/// <summary>One YAML document of a manifest file, identified by its apiVersion, kind and name.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line where the document starts.</param>
/// <param name="ApiVersion">apiVersion, empty if missing.</param>
/// <param name="Kind">kind, empty if missing.</param>
/// <param name="Name">metadata.name, empty if missing.</param>
public sealed record ManifestDocument(string File, int Line, string ApiVersion, string Kind, string Name)
{
    /// <summary>
    /// The document as JSON (plain YAML scalars resolved as kubectl does), kept for documents of other kinds so callers
    /// can read them with their own types (<see cref="k8s.KubernetesJson"/>).
    /// </summary>
    public string Json { get; init; } = "";

    /// <summary>Kind/name, as errors print it.</summary>
    public string Object => $"{(Kind.Length == 0 ? "<no kind>" : Kind)}/{(Name.Length == 0 ? "<no name>" : Name)}";
}
