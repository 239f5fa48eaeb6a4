using System.Reflection;

namespace Platform.Infra.Blueprint;

/// <summary>
/// The CRDs the stack applies before the autoscaler and the NodePools. They are generated from the Api types
/// (<c>platform-autoscaler crds --out infra/Platform.Infra.Blueprint/Crds</c>), checked in so a pull request shows
/// their diff, and embedded here; a test fails when they drift from the types.
/// </summary>
public static class CrdManifests
{
    /// <summary>File names of the CRDs, in the order they are applied.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["karpenter.sh_nodepools.yaml", "karpenter.sh_nodeclaims.yaml", "karpenter.k8s.aws_ec2nodeclasses.yaml"];

    /// <summary>The YAML of one CRD file.</summary>
    public static string Read(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Crds.{fileName}")
            ?? throw new ArgumentException($"no embedded CRD named {fileName}; known: {string.Join(", ", FileNames)}", nameof(fileName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
