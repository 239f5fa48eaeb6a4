using System.Text.RegularExpressions;
using Platform.Autoscaler.Simulation.Cli;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Simulation.Tests.Cli;

/// <summary>Help text that sends the reader to README ("README, 'Scenario format'") names something README has.</summary>
public sealed partial class HelpReadmeReferenceTests
{
    private static readonly string[] Verbs = ["validate", "plan", "catalog", "crds", "simulate", "run"];

    [Fact]
    public async Task Help_EveryReadmeReference_NamesTextInReadme()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Get(), "README.md"));
        var references = new List<string>();
        foreach (var verb in Verbs)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(0, await DeveloperCommandLine.RunAsync([verb, "--help"], output, error, CancellationToken.None));
            references.AddRange(Reference().Matches(output.ToString()).Select(m => m.Groups[1].Value));
        }

        Assert.Contains("Scenario format", references);
        Assert.All(references, r => Assert.True(readme.Contains(r, StringComparison.Ordinal), $"help refers to README, '{r}', which README does not contain"));
    }

    [GeneratedRegex(@"README, '([^']+)'")]
    private static partial Regex Reference();
}
