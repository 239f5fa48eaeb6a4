using Platform.Autoscaler.Cli;

namespace Platform.Autoscaler.Tests.Cli;

/// <summary>Runs the CLI in-process with captured output, in a scratch folder of manifest files.</summary>
internal sealed class CliRunner(CliRunner.EntryPoint? entryPoint = null) : IDisposable
{
    /// <summary>A CLI's entry: the service binary's by default, the developer CLI's for simulate.</summary>
    public delegate Task<int> EntryPoint(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    private readonly EntryPoint entry = entryPoint ?? ((args, output, error, token) => CommandLine.RunAsync(args, output, error, token));

    public string Folder { get; } = Directory.CreateTempSubdirectory("platform-cli-").FullName;

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await entry(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
