namespace Platform.Autoscaler.Api.Serialization;

/// <summary>One YAML document of a manifest file, identified by its apiVersion, kind and name.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line where the document starts.</param>
/// <param name="ApiVersion">apiVersion, empty if missing.</param>
/// <param name="Kind">kind, empty if missing.</param>
/// <param name="Name">metadata.name, empty if missing.</param>
public sealed record ManifestDocument(string File, int Line, string ApiVersion, string Kind, string Name)
{
    /// <summary>The document's YAML, kept for documents of other kinds so callers can read them with their own types.</summary>
    public string Yaml { get; init; } = "";

    /// <summary>Kind/name, as errors print it.</summary>
    public string Object => $"{(Kind.Length == 0 ? "<no kind>" : Kind)}/{(Name.Length == 0 ? "<no name>" : Name)}";
}
