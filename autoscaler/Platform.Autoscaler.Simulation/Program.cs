using Platform.Autoscaler.Simulation.Cli;

return await DeveloperCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
