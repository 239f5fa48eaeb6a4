using System.Collections.Immutable;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Network;

/// <summary>The tags every AWS resource of the stack carries.</summary>
public static class Tagging
{
    /// <summary>Environment, cluster and owner.</summary>
    public static ImmutableSortedDictionary<string, string> Common(StackSettings settings) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            KeyValuePair.Create("Environment", settings.Environment),
            KeyValuePair.Create("Cluster", settings.ClusterName),
            KeyValuePair.Create("ManagedBy", "pulumi"),
            KeyValuePair.Create("Project", SettingsReader.Project),
        ]);
}
