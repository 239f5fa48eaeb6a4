using System.CommandLine;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Planning;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// <c>validate &lt;file-or-folder&gt;... [--catalog FILE]</c>: reads every manifest, prints one line per Karpenter
/// object and per skipped document, then every error; exits 1 if there is any error. NodePools that share GPUs are
/// also checked against the GPU Operator's ConfigMaps among the files and the instance types their requirements admit.
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
        var catalogFile = new Option<FileInfo?>("--catalog") { Description = "Instance catalog JSON for the GPU sharing checks; the bundled us-east-1 catalog by default." };
        var command = new Command("validate", "Check NodePools, EC2NodeClasses and NodeClaims against Karpenter v1's rules, and GPU sharing against the GPU Operator's configs.") { paths, catalogFile };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(paths)!, output, error, input, cancellationToken, parse.GetValue(catalogFile)));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> paths, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken, FileInfo? catalogFile = null)
    {
        if (catalogFile is { Exists: false })
        {
            await error.WriteLineAsync($"validate: {catalogFile}: no such file or directory").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (await ManifestInput.ReadAsync("validate", paths, input, error, cancellationToken).ConfigureAwait(false) is not var (set, files))
        {
            return ExitCodes.Usage;
        }

        try
        {
            set = set with { Errors = [.. set.Errors, .. await GpuSharingErrorsAsync(set, catalogFile, cancellationToken).ConfigureAwait(false)] };
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Invalid;
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

    /// <summary>
    /// The GPU Operator's ConfigMaps among the files, and each NodePool that shares GPUs against them and against the
    /// instance types its requirements admit (its EC2NodeClass's kubelet and volume, when the class is in the files).
    /// </summary>
    private static async Task<IReadOnlyList<ManifestError>> GpuSharingErrorsAsync(ManifestSet set, FileInfo? catalogFile, CancellationToken cancellationToken)
    {
        var (gpuOperator, errors, _) = GpuOperatorInput.From(set.Skipped);
        var sharing = set.Objects.Where(o => o.Value is Api.NodePool pool && !GpuSharingSpec.Of(pool).IsNone).ToList();
        if (sharing.Count == 0)
        {
            return errors;
        }

        var catalog = catalogFile is null
            ? BundledCatalog.Load()
            : CatalogJson.Parse(await File.ReadAllTextAsync(catalogFile.FullName, cancellationToken).ConfigureAwait(false), catalogFile.Name);
        var classes = set.NodeClasses.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var resolved = new ResolvedTypes();
        var result = errors.ToList();
        foreach (var (source, value) in sharing)
        {
            var pool = (Api.NodePool)value;
            var types = resolved.For(catalog, classes.GetValueOrDefault(pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? ""), new HashSet<(string, string, string)>());
            var (_, problems) = GpuSharingCheck.Check(pool, gpuOperator, types);
            result.AddRange(problems.Select(p => new ManifestError(source.File, source.Object, p, source.Line)));
        }

        return result;
    }
}
