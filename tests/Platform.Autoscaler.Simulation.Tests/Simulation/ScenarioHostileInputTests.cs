using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

/// <summary>Scenario files a user gets wrong: every mistake is a line naming the file and the field (or line), never an exception.</summary>
public sealed class ScenarioHostileInputTests
{
    private static readonly string Valid = ScenarioReader.BuiltInText();

    [Fact]
    public void Read_SyntaxError_NamesTheLine()
    {
        var errors = Read("name: x\nduration: 1h\nworkloads: [\n  { kind: Deployment\n");
        var error = Assert.Single(errors);
        Assert.Matches(@"^s\.yaml:\d+:\d+: YAML syntax error: ", error);
        Assert.DoesNotContain("Operation is not valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TabIndentation_NamesTheLine() =>
        Assert.Matches(@"^s\.yaml:\d+:\d+: YAML syntax error: ", Assert.Single(Read("name: x\n\tduration: 1h\n")));

    [Fact]
    public void Read_DeepNesting_OneErrorNoStackOverflow() =>
        Assert.Contains("nests deeper than", Assert.Single(Read("name: " + new string('[', 60_000) + new string(']', 60_000))), StringComparison.Ordinal);

    [Fact]
    public void Read_PdbWithAListWhereAnIntOrStringGoes_ErrorNamesTheField()
    {
        var text = Valid.Replace("    maxUnavailable: 1", "    maxUnavailable: [1]", StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        Assert.Contains(Read(text), e => e.Contains("PodDisruptionBudget/", StringComparison.Ordinal)
            && e.Contains("spec.maxUnavailable: must be an integer or a string such as 25%, got a list", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("count: 20", "count: -5", "count: must be between 0 and 10000")]
    [InlineData("count: 20", "count: 99999999999", "count: \"99999999999\" is not an integer")]
    [InlineData("count: 20", "count: [20]", "count: must be a string, got a list")]
    [InlineData("duration: 24h", "duration: 99999999999h", "duration: duration \"99999999999h\" is out of range")]
    [InlineData("seed: 42", "seed: {a: 1}", "seed: must be a string, got a mapping")]
    public void Read_BadScalar_ErrorNamesTheField(string from, string to, string expected)
    {
        var text = ReplaceFirst(Valid, from, to);
        Assert.Contains(Read(text), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cpu: \"-1\"", "template.spec.containers[0].resources.requests[cpu]: must not be negative, got -1")]
    [InlineData("cpu: \"1e20\"", "template.spec.containers[0].resources.requests[cpu]: quantity 100000000000000000000 is out of range")]
    [InlineData("cpu: [1]", "template.spec.containers[0].resources.requests[cpu]: must be a quantity such as 2, 500m or 16Gi, got a list")]
    public void Read_TemplateWithAmountsTheAutoscalerCannotUse_ErrorNamesTheField(string request, string expected)
    {
        var text = Text(request);
        Assert.Contains(Read(text), e => e.StartsWith("s.yaml: workloads[0].", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_TwoDocuments_SaysAScenarioIsOne() =>
        Assert.Contains("a scenario is one YAML document", Assert.Single(Read(Valid + "\n---\nname: second\n")), StringComparison.Ordinal);

    private static string Text(string request) => $$"""
        name: t
        duration: 1h
        {{ScenarioReaderTests.Pools}}
        workloads:
          - kind: Deployment
            name: web
            replicas:
              - { at: 0h, count: 2 }
            template:
              spec:
                containers:
                  - name: web
                    image: nginx
                    resources: { requests: { {{request}} } }
        """;

    private static IReadOnlyList<string> Read(string text)
    {
        var (scenario, errors) = ScenarioReader.Read("s.yaml", text);
        Assert.True(scenario is null || errors.Count == 0);
        return errors;
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in the built-in scenario");
        return text[..at] + to + text[(at + from.Length)..];
    }
}
