using Platform.Autoscaler.Api.Schema;
using Platform.Infra.Blueprint;

namespace Platform.Infra.Blueprint.Tests;

public sealed class CrdManifestsTests
{
    [Fact]
    public void CheckedInCrds_MatchTheApiTypes()
    {
        var generated = CustomResourceDefinitions.Generate();
        Assert.Equal(generated.Select(g => g.FileName), CrdManifests.FileNames);
        foreach (var crd in generated)
        {
            Assert.True(crd.Yaml == CrdManifests.Read(crd.FileName),
                $"{crd.FileName} drifted from the Api types; regenerate with: dotnet run --project autoscaler/Platform.Autoscaler -- crds --out infra/Platform.Infra.Blueprint/Crds");
        }
    }

    [Fact]
    public void Read_UnknownFile_NamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => CrdManifests.Read("nodes.yaml"));
        Assert.Contains("karpenter.sh_nodepools.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crds_AreStructuralAndServeV1WithStatus()
    {
        foreach (var crd in CustomResourceDefinitions.Generate())
        {
            var version = Assert.Single(crd.Definition.Spec.Versions);
            Assert.Equal("v1", version.Name);
            Assert.True(version.Storage && version.Served);
            Assert.NotNull(version.Subresources.Status);
            Assert.Equal("object", version.Schema.OpenAPIV3Schema.Type);
            Assert.Contains("spec", version.Schema.OpenAPIV3Schema.Required);
            Assert.Equal("Cluster", crd.Definition.Spec.Scope);
        }
    }
}
