using System.CommandLine;
using System.Text.Json;
using Platform.Autoscaler.Cli;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>
/// <c>simulate [--scenario FILE] [--baseline static] [--report DIR] [--json]</c>: the product on one machine. The real
/// controllers run in-process against an in-memory cluster and EC2 on a virtual clock. A scenario with variants runs
/// once per variant and compares their costs. Exit 1 when a scenario is invalid, a pod is left pending at the end, or
/// an invariant broke.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenarioFile = new Option<FileInfo?>("--scenario") { Description = "Scenario YAML (README, 'Scenario format'); the built-in GPU platform day by default." };
        var baseline = new Option<string?>("--baseline") { Description = "Also run the scenario under a fixed policy and print the cost ratio: static (Cluster Autoscaler node groups)." };
        baseline.AcceptOnlyFromAmong("static");
        var report = new Option<DirectoryInfo>("--report") { Description = "Report folder: summary.json, timeline.csv, decisions.log, nodes.png, cost.png (and baseline-timeline.csv, baseline-decisions.log with --baseline).", DefaultValueFactory = _ => new DirectoryInfo("simulation-report") };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of the summary figures." };
        var command = new Command("simulate", "Run a scenario against the real controllers on a virtual clock.") { scenarioFile, baseline, report, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(scenarioFile), parse.GetValue(baseline), parse.GetValue(report)!, parse.GetValue(json), output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? scenarioFile, string? baseline, DirectoryInfo report, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (scenarioFile is { Exists: false })
        {
            await error.WriteLineAsync($"simulate: {scenarioFile}: no such file").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var (name, text) = scenarioFile is null
            ? (ScenarioReader.BuiltInName, ScenarioReader.BuiltInText())
            : (scenarioFile.Name, await File.ReadAllTextAsync(scenarioFile.FullName, cancellationToken).ConfigureAwait(false));
        var (scenario, errors) = ScenarioReader.Read(name, text);
        if (scenario is null)
        {
            foreach (var problem in errors)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return ExitCodes.Invalid;
        }

        if (Unwritable(report) is { } unwritable)
        {
            // Checked before the run: finding out after minutes of simulation loses them.
            await error.WriteLineAsync($"simulate: --report {report}: {unwritable}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var catalog = BundledCatalog.Load();
        if (scenario.Variants.Count > 0)
        {
            if (baseline is not null)
            {
                await error.WriteLineAsync("simulate: --baseline compares the autoscaler with node groups; a scenario with variants compares its variants (run one without them for a baseline)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await VariantsAsync(scenario, catalog, report, json, output, error, cancellationToken).ConfigureAwait(false);
        }

        var progress = SimulationProgress.ForConsole(error, json, "autoscaler", scenario.Duration);
        var result = await Simulator.RunAsync(scenario, catalog, baseline: false, progress is null ? null : progress.Report, null, cancellationToken).ConfigureAwait(false);
        progress?.Done(result);
        SimulationResult? static_ = null;
        if (baseline == "static")
        {
            progress = SimulationProgress.ForConsole(error, json, "static", scenario.Duration);
            static_ = await Simulator.RunAsync(scenario, catalog, baseline: true, progress is null ? null : progress.Report, null, cancellationToken).ConfigureAwait(false);
            progress?.Done(static_);
        }

        await output.WriteAsync(SimulationSummary.Table(result, static_)).ConfigureAwait(false);
        var files = await SimulationReport.WriteAsync(report, result, static_, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"report: {report.FullName} ({string.Join(", ", files)})").ConfigureAwait(false);
        foreach (var violation in result.Violations.Take(20))
        {
            await error.WriteLineAsync($"violation: {violation}").ConfigureAwait(false);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(SimulationSummary.Figures(result, static_))).ConfigureAwait(false);
        }

        return result.PodsUnplaced == 0 && result.Violations.Count == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    /// <summary>
    /// Runs each variant (the scenario's manifests with the variant's) under the autoscaler, prints their costs side
    /// by side with each one's saving against the first, and writes a report per variant under the report folder.
    /// </summary>
    private static async Task<int> VariantsAsync(Scenario scenario, InstanceCatalog catalog, DirectoryInfo report, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var results = new List<(string Name, SimulationResult Result)>();
        foreach (var variant in scenario.Variants)
        {
            var progress = SimulationProgress.ForConsole(error, json, variant.Name, scenario.Duration);
            var result = await Simulator.RunAsync(scenario.With(variant), catalog, baseline: false, progress is null ? null : progress.Report, null, cancellationToken).ConfigureAwait(false);
            progress?.Done(result);
            results.Add((variant.Name, result));
        }

        await output.WriteAsync(SimulationSummary.Comparison(scenario.Name, results)).ConfigureAwait(false);
        var written = new List<string>();
        foreach (var (name, result) in results)
        {
            var files = await SimulationReport.WriteAsync(new DirectoryInfo(Path.Combine(report.FullName, name)), result, null, cancellationToken).ConfigureAwait(false);
            written.AddRange(files.Select(f => $"{name}/{f}"));
        }

        var figures = SimulationSummary.ComparisonFigures(results);
        await SimulationReport.WriteComparisonAsync(report, figures, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"report: {report.FullName} ({SimulationReport.SummaryFile}, {string.Join(", ", written)})").ConfigureAwait(false);
        foreach (var (name, result) in results)
        {
            foreach (var violation in result.Violations.Take(20))
            {
                await error.WriteLineAsync($"violation ({name}): {violation}").ConfigureAwait(false);
            }
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(figures)).ConfigureAwait(false);
        }

        return results.All(r => r.Result.PodsUnplaced == 0 && r.Result.Violations.Count == 0) ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    /// <summary>Why the report folder cannot be written, or null: it is created, and a probe file written and removed.</summary>
    private static string? Unwritable(DirectoryInfo report)
    {
        if (File.Exists(report.FullName))
        {
            return "is a file; name a folder";
        }

        try
        {
            report.Create();
            var probe = Path.Combine(report.FullName, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be written: {e.Message}";
        }
    }
}
