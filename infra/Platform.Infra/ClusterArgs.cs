using Platform.Infra.Blueprint.Settings;
using Platform.Infra.Kubernetes;
using Pulumi;

namespace Platform.Infra;

/// <summary>
/// What the EKS cluster is built from: settings, the network, and the IAM roles it binds; <paramref name="Stages"/>
/// holds the stages declared before it and receives the cluster's own.
/// </summary>
public sealed record ClusterArgs(
    StackSettings Settings,
    Output<string> VpcId,
    Output<System.Collections.Immutable.ImmutableArray<string>> PublicSubnetIds,
    Output<System.Collections.Immutable.ImmutableArray<string>> PrivateSubnetIds,
    Pulumi.Aws.Iam.Role NodeRole,
    Output<string> AutoscalerRoleArn,
    Output<string> EbsCsiDriverRoleArn,
    StagedResources Stages);
