using Platform.Autoscaler.Cli;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>The developer CLI: the service binary's verbs plus <c>simulate</c>.</summary>
internal static class DeveloperCommandLine
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CommandLine.RunAsync(args, output, error, cancellationToken, extraVerbs: [SimulateCommand.Create(output, error)]);
}
