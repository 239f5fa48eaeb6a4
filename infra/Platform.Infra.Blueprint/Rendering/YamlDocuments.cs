namespace Platform.Infra.Blueprint.Rendering;

/// <summary>Joins YAML documents into one multi-document file.</summary>
public static class YamlDocuments
{
    /// <summary>Each document ends with a newline and the next starts after a <c>---</c> line.</summary>
    public static string Join(IEnumerable<string> documents) =>
        string.Join("---\n", documents.Select(d => d.EndsWith('\n') ? d : d + "\n"));
}
