using Platform.Infra.Blueprint.Settings;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>The production stack's settings as <c>pulumi up</c> reads them: what the autoscaler's objects are built from.</summary>
internal static class DeployedStack
{
    /// <summary>Pulumi.prod.yaml, read and validated by the blueprint.</summary>
    public static StackSettings Settings() =>
        SettingsReader.Read("prod", StackConfigFile.Lookup(StackConfigFile.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "Pulumi.prod.yaml")))));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
