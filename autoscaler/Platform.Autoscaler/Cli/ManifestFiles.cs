namespace Platform.Autoscaler.Cli;

/// <summary>Expands the files and folders named on the command line into manifest files, in a stable order.</summary>
internal static class ManifestFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml"];

    /// <summary>The files, or the first path that does not exist.</summary>
    public static (IReadOnlyList<string> Files, string? Missing) Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory
                    .EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                return ([], path);
            }
        }

        return (files, null);
    }
}
