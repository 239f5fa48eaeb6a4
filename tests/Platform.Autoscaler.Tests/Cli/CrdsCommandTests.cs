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
        // One stream kubectl apply -f - can read: every separator on a line of its own, each document a CRD.
        var documents = k8s.KubernetesYaml.LoadAllFromString(output);
        Assert.Equal(
            ["ec2nodeclasses.karpenter.k8s.aws", "nodeclaims.karpenter.sh", "nodepools.karpenter.sh"],
            documents.Cast<k8s.Models.V1CustomResourceDefinition>().Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
