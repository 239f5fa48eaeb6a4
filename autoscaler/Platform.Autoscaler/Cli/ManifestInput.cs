using Platform.Autoscaler.Api.Serialization;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// Reads the manifests a verb is given: files, folders (every *.yaml and *.yml, recursively) and "-" for standard
/// input. Usage problems (a missing path, an option it does not know, no manifest at all) are printed and end the
/// verb with exit code 2, as README promises.
/// </summary>
internal static class ManifestInput
{
    /// <summary>The name "-" reads as.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>The manifests and the files read, in order, or null after printing the usage problem.</summary>
    public static async Task<(ManifestSet Set, IReadOnlyList<string> Files)?> ReadAsync(
        string verb, IReadOnlyList<string> paths, TextReader stdin, TextWriter error, CancellationToken cancellationToken)
    {
        if (paths.FirstOrDefault(p => p.Length > 1 && p.StartsWith('-')) is { } option)
        {
            await error.WriteLineAsync($"{verb}: unknown option {option} (to read a file whose name starts with '-', write ./{option})").ConfigureAwait(false);
            return null;
        }

        var (files, missing) = ManifestFiles.Expand(paths.Where(p => p != "-"));
        if (missing is not null)
        {
            await error.WriteLineAsync($"{verb}: {missing}: no such file or directory").ConfigureAwait(false);
            return null;
        }

        var readsStdin = paths.Contains("-");
        if (files.Count == 0 && !readsStdin)
        {
            await error.WriteLineAsync($"{verb}: no *.yaml or *.yml files under {string.Join(", ", paths)}").ConfigureAwait(false);
            return null;
        }

        var reader = new ManifestReader();
        var progress = ReadProgress.ForConsole(error);
        var sets = new List<ManifestSet>();
        if (readsStdin)
        {
            sets.Add(reader.Read(StdinName, stdin));
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var size = new FileInfo(file).Length;
            using var text = new StreamReader(file);
            sets.Add(reader.Read(file, text, progress is not null && size >= ReadProgress.MinBytes ? read => progress.Report(file, read, size) : null));
        }

        progress?.Done();
        var set = ManifestSet.Combine(sets);
        if (set.IsEmpty)
        {
            await error.WriteLineAsync($"{verb}: no manifests in {string.Join(", ", readsStdin ? [StdinName, .. files] : files)}: the files hold no YAML document").ConfigureAwait(false);
            return null;
        }

        return (set, readsStdin ? [StdinName, .. files] : files);
    }
}
