using System.CommandLine;
using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Cli;

/// <summary><c>crds [--out DIR]</c>: writes the CustomResourceDefinitions generated from the API types.</summary>
internal static class CrdsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Folder to write one YAML file per CRD into; prints them all to stdout when absent." };
        var command = new Command("crds", "Print or write the NodePool, NodeClaim and EC2NodeClass CRDs.") { outDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var crds = CustomResourceDefinitions.Generate();
            if (parse.GetValue(outDir) is not { } dir)
            {
                // Each document ends its last line, so the separator starts a line of its own (kubectl apply -f - reads it).
                await output.WriteAsync(string.Join("---\n", crds.Select(c => c.Yaml.EndsWith('\n') ? c.Yaml : c.Yaml + "\n"))).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (File.Exists(dir.FullName))
            {
                await error.WriteLineAsync($"crds: --out {dir}: is a file; name a folder (it is created if missing)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            dir.Create();
            foreach (var crd in crds)
            {
                var path = Path.Combine(dir.FullName, crd.FileName);
                await File.WriteAllTextAsync(path, crd.Yaml, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
