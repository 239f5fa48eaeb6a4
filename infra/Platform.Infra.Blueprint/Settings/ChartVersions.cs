namespace Platform.Infra.Blueprint.Settings;

/// <summary>Pinned Helm chart versions.</summary>
public sealed record ChartVersions(string GpuOperator, string Keda, string KubePrometheusStack);
