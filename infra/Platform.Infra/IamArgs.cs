using Platform.Infra.Blueprint.Settings;
using Pulumi;

namespace Platform.Infra;

/// <summary>
/// The settings (role names, region, cluster), the partition and account, the interruption queue's ARN, and whether the
/// account lacks the EC2 Spot service-linked role (IamPolicies.NeedsSpotServiceLinkedRole over iam:ListRoles).
/// </summary>
public sealed record IamArgs(
    StackSettings Settings, Output<string> Partition, Output<string> AccountId, Output<string> InterruptionQueueArn, bool CreateSpotServiceLinkedRole = false);
