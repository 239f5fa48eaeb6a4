namespace Platform.Infra.Blueprint.Settings;

/// <summary>The in-cluster autoscaler's image, replica count and log level.</summary>
public sealed record AutoscalerSettings(string Image, int Replicas, string LogLevel);
