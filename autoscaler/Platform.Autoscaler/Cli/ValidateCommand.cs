using System.CommandLine;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// <c>validate &lt;file-or-folder&gt;...</c>: reads every manifest, prints one line per Karpenter object and per
/// skipped document, then every error; exits 1 if there is any error.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Manifest files or folders (searched recursively for *.yaml and *.yml); - reads standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check NodePools, EC2NodeClasses and NodeClaims against Karpenter v1's rules.") { paths };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(paths)!, output, error, input, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> paths, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken)
    {
        if (await ManifestInput.ReadAsync("validate", paths, input, error, cancellationToken).ConfigureAwait(false) is not var (set, files))
        {
            return ExitCodes.Usage;
        }

        var fileOrder = files.Select((file, index) => (file, index)).DistinctBy(f => f.file).ToDictionary(f => f.file, f => f.index, StringComparer.Ordinal);
        foreach (var line in set.Objects.Select(o => (o.Source, Text: ObjectSummary.Describe(o.Value)))
            .Concat(set.Skipped.Select(s => (Source: s, Text: $"skipped ({s.ApiVersion} {s.Kind} is not a Karpenter kind)")))
            .OrderBy(l => fileOrder[l.Source.File]).ThenBy(l => l.Source.Line))
        {
            await output.WriteLineAsync($"{line.Source.File}: {line.Source.Object}: {line.Text}").ConfigureAwait(false);
        }

        foreach (var problem in set.Errors)
        {
            await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"{files.Count} file(s): {set.Objects.Count} valid, {set.Skipped.Count} skipped, {set.Errors.Count} error(s)").ConfigureAwait(false);
        return set.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
    }
}
