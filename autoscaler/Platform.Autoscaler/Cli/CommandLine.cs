using System.CommandLine;

namespace Platform.Autoscaler.Cli;

/// <summary>The verbs of platform-autoscaler, and the exit-code contract: 0 ok, 1 invalid input, 2 usage.</summary>
internal static class CommandLine
{
    /// <summary>Runs the verbs of the service binary, and any <paramref name="extraVerbs"/> a larger CLI adds.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken,
        Func<string, string?>? environment = null,
        IEnumerable<Command>? extraVerbs = null,
        TextReader? input = null)
    {
        input ??= Console.In;
        var root = new RootCommand("GPU-aware node autoscaler for EKS, reading Karpenter v1 NodePools and EC2NodeClasses.")
        {
            ValidateCommand.Create(output, error, input),
            PlanCommand.Create(output, error, input),
            CrdsCommand.Create(output, error),
            CatalogCommand.Create(output, error, TimeProvider.System),
            RunCommand.Create(output, error, environment ?? Environment.GetEnvironmentVariable),
        };
        foreach (var verb in extraVerbs ?? [])
        {
            root.Subcommands.Add(verb);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message).ConfigureAwait(false);
            }

            if (extraVerbs is null && args.FirstOrDefault() == "simulate")
            {
                await error.WriteLineAsync(
                    "simulate is not part of the service binary; run it from the developer CLI: " +
                    "dotnet run --project autoscaler/Platform.Autoscaler.Simulation -- simulate").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run with --help for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
