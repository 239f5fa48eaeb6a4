using Platform.Infra.Blueprint.NodePools;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>The environment's validated NodePools and EC2NodeClasses; <paramref name="DependsOn"/> holds the CRDs and the autoscaler.</summary>
public sealed record NodePoolsArgs(NodePoolSet Set, ProviderResource Provider, IReadOnlyList<Resource> DependsOn);
