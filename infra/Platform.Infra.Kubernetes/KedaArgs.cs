using Platform.Infra.Blueprint.Helm;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>The KEDA release; <paramref name="DependsOn"/> brings the monitoring CRDs its ServiceMonitors need, nodes and DNS.</summary>
public sealed record KedaArgs(HelmRelease Release, ProviderResource Provider, IReadOnlyList<Resource> DependsOn);
