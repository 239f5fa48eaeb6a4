namespace Platform.Autoscaler.Tests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private const string Pool = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: gpu-small
        spec:
          weight: 50
          template:
            spec:
              requirements:
                - key: karpenter.sh/capacity-type
                  operator: In
                  values: ["spot"]
              nodeClassRef:
                group: karpenter.k8s.aws
                kind: EC2NodeClass
                name: gpu
          limits:
            nvidia.com/gpu: 8
        """;

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        """;

    private readonly CliRunner cli = new();

    [Fact]
    public async Task Validate_ValidFileWithOtherKinds_SummarisesEachAndExitsZero()
    {
        var file = cli.Write("pools.yaml", Pool + "\n---\n" + Deployment);
        var (code, output, error) = await cli.RunAsync("validate", file);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains($"{file}: NodePool/gpu-small: valid: weight 50; node class gpu; 1 requirement(s); capacity In [spot]; limits nvidia.com/gpu=8", output, StringComparison.Ordinal);
        Assert.Contains($"{file}: Deployment/web: skipped (apps/v1 Deployment is not a Karpenter kind)", output, StringComparison.Ordinal);
        Assert.Contains("1 file(s): 1 valid, 1 skipped, 0 error(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidObjects_PrintsEveryErrorAndExitsOne()
    {
        cli.Write("a/pools.yaml", Pool.Replace("operator: In", "operator: Within", StringComparison.Ordinal));
        cli.Write("b/more.yml", Pool.Replace("gpu-small", "gpu-large", StringComparison.Ordinal).Replace("weight: 50", "weight: 500", StringComparison.Ordinal));
        var (code, output, error) = await cli.RunAsync("validate", cli.Folder);
        Assert.Equal(1, code);
        Assert.Contains(": NodePool/gpu-small: spec.template.spec.requirements[0].operator: unsupported value \"Within\"", error, StringComparison.Ordinal);
        Assert.Contains(": NodePool/gpu-large: spec.weight: must be between 1 and 100, got 500", error, StringComparison.Ordinal);
        Assert.Contains("2 file(s): 0 valid, 0 skipped, 2 error(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_YamlSyntaxError_NamesFileLineAndColumn()
    {
        var file = cli.Write("broken.yaml", "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: [x\n");
        var (code, _, error) = await cli.RunAsync("validate", file);
        Assert.Equal(1, code);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: YAML syntax error", error);
    }

    [Fact]
    public async Task Validate_MissingFile_UsageErrorExitsTwo()
    {
        var (code, _, error) = await cli.RunAsync("validate", Path.Combine(cli.Folder, "nope.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("no such file or directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NoArguments_UsageErrorExitsTwo()
    {
        var (code, _, _) = await cli.RunAsync("validate");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Validate_FolderWithoutManifests_UsageErrorExitsTwo()
    {
        cli.Write("notes.txt", "hello");
        var (code, _, error) = await cli.RunAsync("validate", cli.Folder);
        Assert.Equal(2, code);
        Assert.Contains("no *.yaml or *.yml files", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerb_UsageErrorExitsTwo()
    {
        var (code, _, _) = await cli.RunAsync("validat", "x");
        Assert.Equal(2, code);
    }

    public void Dispose() => cli.Dispose();
}
