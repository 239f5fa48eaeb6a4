namespace Platform.Autoscaler.Tests.Cli;

public sealed class CrdsCommandTests : IDisposable
{
    private readonly CliRunner cli = new();

    [Fact]
    public async Task Crds_Out_WritesOneFilePerKind()
    {
        var (code, _, _) = await cli.RunAsync("crds", "--out", cli.Folder);
        Assert.Equal(0, code);
        Assert.Equal(
            ["karpenter.k8s.aws_ec2nodeclasses.yaml", "karpenter.sh_nodeclaims.yaml", "karpenter.sh_nodepools.yaml"],
            Directory.GetFiles(cli.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("name: nodepools.karpenter.sh", File.ReadAllText(Path.Combine(cli.Folder, "karpenter.sh_nodepools.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crds_NoOut_PrintsAllThreeAsOneStream()
    {
        var (code, output, _) = await cli.RunAsync("crds");
        Assert.Equal(0, code);
        Assert.Equal(3, output.Split("kind: CustomResourceDefinition").Length - 1);
    }

    public void Dispose() => cli.Dispose();
}
