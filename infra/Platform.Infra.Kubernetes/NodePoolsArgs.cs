using Platform.Infra.Blueprint.NodePools;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The environment's validated NodePools and EC2NodeClasses; <paramref name="Stages"/> gives what they wait for (the
/// CRDs, the autoscaler, the AWS resources their selectors match) and receives them.
/// </summary>
public sealed record NodePoolsArgs(NodePoolSet Set, ProviderResource Provider, StagedResources Stages);
