using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Planning;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// <c>plan &lt;files&gt;... [--catalog FILE] [--json]</c>: what the autoscaler would buy for the pending pods in the
/// files, given their NodePools, EC2NodeClasses and existing nodes. Exit 1 when a pod cannot be placed.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var paths = new Argument<string[]>("paths") { Description = "Manifest files or folders: Pods, Deployments, Jobs, StatefulSets, DaemonSets, Nodes, NodePools, EC2NodeClasses, the GPU Operator's ConfigMaps; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var catalogFile = new Option<FileInfo?>("--catalog") { Description = "Instance catalog JSON (README, 'Catalog format'); the bundled us-east-1 catalog by default." };
        var json = new Option<bool>("--json") { Description = "Print the plan as one JSON object." };
        var command = new Command("plan", "Plan the NodeClaims for pending pods, offline.") { paths, catalogFile, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(paths)!, parse.GetValue(catalogFile), parse.GetValue(json), output, error, input, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> paths, FileInfo? catalogFile, bool json, TextWriter output, TextWriter error, TextReader stdin, CancellationToken cancellationToken)
    {
        if (catalogFile is { Exists: false })
        {
            await error.WriteLineAsync($"plan: {catalogFile}: no such file or directory").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (await ManifestInput.ReadAsync("plan", paths, stdin, error, cancellationToken).ConfigureAwait(false) is not var (set, _))
        {
            return ExitCodes.Usage;
        }

        if (set.Errors.Count > 0)
        {
            foreach (var problem in set.Errors)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Invalid;
        }

        InstanceCatalog catalog;
        try
        {
            catalog = catalogFile is null
                ? BundledCatalog.Load()
                : CatalogJson.Parse(await File.ReadAllTextAsync(catalogFile.FullName, cancellationToken).ConfigureAwait(false), catalogFile.Name);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Invalid;
        }

        var workloads = Workloads.From(set.Skipped);
        foreach (var problem in workloads.Errors)
        {
            await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }

        var (gpuOperator, gpuErrors, _) = GpuOperatorInput.From(set.Skipped);
        foreach (var problem in gpuErrors)
        {
            await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }

        var (input, warnings) = PlanInputBuilder.Build(set.NodePools, set.NodeClasses, workloads, catalog, gpuOperator);
        foreach (var warning in warnings)
        {
            await error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        // The workloads that could not be read are left out (and reported above); the rest is planned all the same.
        var plan = Scheduler.Solve(input);
        await output.WriteLineAsync(json ? PlanJson(plan) : PlanText(plan, input)).ConfigureAwait(false);
        return plan.Unplaced.Count == 0 && workloads.Errors.Count == 0 && gpuErrors.Count == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    private static string Money(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string PlanText(Plan plan, SchedulingInput input)
    {
        var lines = new List<string>();
        var onExisting = plan.Placements.Count(p => !p.NewNodeClaim);
        lines.Add($"{input.Pods.Count} pending pod(s), {input.Nodes.Count} existing node(s), {input.NodePools.Count} NodePool(s)");
        if (onExisting > 0)
        {
            lines.Add($"{onExisting} pod(s) fit on existing nodes");
        }

        foreach (var claim in plan.NodeClaims)
        {
            var best = claim.Options[0];
            var types = claim.InstanceTypes.ToList();
            lines.Add($"NodeClaim {claim.Name} (NodePool {claim.NodePool}): {best.InstanceType} {best.CapacityType} in {best.Zone} at ${Money(best.Price)}/h, {claim.Pods.Count} pod(s), requests {claim.Requests}");
            lines.Add($"  fallback: {claim.Options.Count} offering(s) over {types.Count} type(s): {string.Join(", ", types.Take(8))}{(types.Count > 8 ? ", ..." : "")}");
            lines.Add($"  pods: {string.Join(", ", claim.Pods.Select(p => p.Id).Take(10))}{(claim.Pods.Count > 10 ? $", ... ({claim.Pods.Count})" : "")}");
        }

        lines.Add($"total: {plan.NodeClaims.Count} NodeClaim(s), ${Money(plan.HourlyCost)}/hour");
        foreach (var pod in plan.Unplaced)
        {
            lines.Add($"unplaced {pod.Pod.Id}:");
            lines.AddRange(pod.Reasons.Select(r => $"  {r}"));
        }

        return string.Join("\n", lines);
    }

    private static string PlanJson(Plan plan) => JsonSerializer.Serialize(new
    {
        nodeClaims = plan.NodeClaims.Select(c => new
        {
            name = c.Name,
            nodePool = c.NodePool,
            price = c.Price,
            requests = c.Requests.Entries.ToDictionary(e => e.Key, e => e.Value),
            pods = c.Pods.Select(p => p.Id),
            options = c.Options.Select(o => new { instanceType = o.InstanceType, zone = o.Zone, capacityType = o.CapacityType, price = o.Price }),
        }),
        placements = plan.Placements.Select(p => new { pod = p.Pod.Id, target = p.Target, newNodeClaim = p.NewNodeClaim }),
        unplaced = plan.Unplaced.Select(u => new { pod = u.Pod.Id, reasons = u.Reasons }),
        hourlyCost = plan.HourlyCost,
    });
}
