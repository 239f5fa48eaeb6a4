using System.Diagnostics;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Cli;

/// <summary>
/// <c>platform-autoscaler --version</c> names the commit it was built from, so an image or a binary can be traced
/// back to its source: Source Link reads it from git in a checkout, the Dockerfile passes it as SourceRevisionId.
/// </summary>
public sealed class VersionTests
{
    [Fact]
    public async Task Version_BuiltInAGitCheckout_PrintsTheVersionPlusTheCommitItWasBuiltFrom()
    {
        // The real binary, as a process: in-process, System.CommandLine would print the test host's version.
        var printed = (await RunAsync("dotnet", Path.Combine(AppContext.BaseDirectory, "platform-autoscaler.dll"), "--version")).Trim();

        var head = await HeadAsync();
        if (head is null)
        {
            // Built from a source tree without git: no commit is better than a wrong one.
            Assert.Matches(@"^\d+\.\d+\.\d+$", printed);
            return;
        }

        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{40}$", printed);
        Assert.EndsWith("+" + head, printed, StringComparison.Ordinal);
    }

    /// <summary>HEAD of the repository this test was built in, or null outside a git checkout or without git.</summary>
    private static async Task<string?> HeadAsync()
    {
        var root = RepositoryRoot.Find();
        if (root is null || !Path.Exists(Path.Combine(root, ".git")))
        {
            return null;
        }

        try
        {
            var head = (await RunAsync("git", "-C", root, "rev-parse", "HEAD")).Trim();
            return head.Length == 40 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on PATH
        }
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await error}");
        return await output;
    }
}
