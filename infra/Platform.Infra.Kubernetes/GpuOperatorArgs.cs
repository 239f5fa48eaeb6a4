using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Kubernetes;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>The GPU Operator release and the ServiceMonitor of its DCGM exporter; <paramref name="DependsOn"/> brings the monitoring CRDs, nodes and DNS.</summary>
public sealed record GpuOperatorArgs(HelmRelease Release, CustomObject DcgmServiceMonitor, ProviderResource Provider, IReadOnlyList<Resource> DependsOn);
