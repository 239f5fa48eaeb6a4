namespace Platform.Infra.Blueprint.Iam;

/// <summary>What the autoscaler's policy is scoped to; the ARNs are known only once the resources exist.</summary>
public sealed record AutoscalerPolicyScope(
    string Partition,
    string Region,
    string AccountId,
    string ClusterName,
    string InterruptionQueueArn,
    string NodeRoleArn);
