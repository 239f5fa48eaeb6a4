using Platform.Infra.Blueprint.Settings;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>The production stack's settings as <c>pulumi up</c> reads them: what the autoscaler's objects are built from.</summary>
internal static class DeployedStack
{
    /// <summary>Pulumi.prod.yaml, read and validated by the blueprint.</summary>
    public static StackSettings Settings() =>
        SettingsReader.Read("prod", StackConfigFile.Lookup(StackConfigFile.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Get(), "Pulumi.prod.yaml")))));
}
