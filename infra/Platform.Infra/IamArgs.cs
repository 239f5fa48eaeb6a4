using Platform.Infra.Blueprint.Settings;
using Pulumi;

namespace Platform.Infra;

/// <summary>The settings (role names, region, cluster), the partition and account, and the interruption queue's ARN.</summary>
public sealed record IamArgs(StackSettings Settings, Output<string> Partition, Output<string> AccountId, Output<string> InterruptionQueueArn);
