using System.Diagnostics;

namespace Platform.Infra.Blueprint.Tests.TestKit;

/// <summary>Runs Prometheus' promtool on files in a folder.</summary>
internal static class Promtool
{
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);

    /// <summary>Runs promtool with <paramref name="arguments"/> in <paramref name="directory"/>: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var executable = Executable() ?? throw new InvalidOperationException("promtool is not on PATH (Debian: apt-get install prometheus)");
        var start = new ProcessStartInfo(executable) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
