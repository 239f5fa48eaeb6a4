using System.Reflection;

namespace Platform.Infra.Blueprint.Monitoring;

/// <summary>Grafana dashboards kept as JSON in the repository (Dashboards/*.json) and loaded by Grafana's sidecar.</summary>
public static class Dashboards
{
    /// <summary>Label on the ConfigMaps the Grafana sidecar loads.</summary>
    public const string Label = "grafana_dashboard";

    /// <summary>Its value.</summary>
    public const string LabelValue = "1";

    /// <summary>Dashboard names: nodes, cost, gpu.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nodes", "cost", "gpu"];

    /// <summary>The JSON of one dashboard.</summary>
    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Dashboards.{name}.json")
            ?? throw new ArgumentException($"no dashboard named {name}; known: {string.Join(", ", Names)}", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
