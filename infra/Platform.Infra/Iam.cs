using Platform.Infra.Blueprint.Iam;
using Platform.Infra.Blueprint.Network;
using Pulumi;
using Pulumi.Aws.Iam;

namespace Platform.Infra;

/// <summary>
/// The node role and instance profile (the seeds' four managed policies), the autoscaler's least-privilege role and
/// the EBS CSI driver's role, both assumed through EKS Pod Identity, and the account's EC2 Spot service-linked role
/// when it has none.
/// </summary>
public sealed class Iam : ComponentResource
{
    public Iam(string name, IamArgs args, ComponentResourceOptions? options = null)
        : base("platform:aws:Iam", name, options)
    {
        var settings = args.Settings;
        var child = new CustomResourceOptions { Parent = this };
        var tags = Tagging.Common(settings).ToDictionary();

        var nodeRole = new Role($"{name}-node", new RoleArgs
        {
            Name = IamPolicies.NodeRoleName(settings),
            AssumeRolePolicy = IamPolicies.NodeTrust().ToJson(),
            Tags = tags,
        }, child);
        foreach (var policy in IamPolicies.NodeManagedPolicyNames)
        {
            _ = new RolePolicyAttachment($"{name}-node-{policy}", new RolePolicyAttachmentArgs
            {
                Role = nodeRole.Name,
                PolicyArn = Output.Format($"arn:{args.Partition}:iam::aws:policy/{policy}"),
            }, child);
        }

        var instanceProfile = new InstanceProfile($"{name}-node", new InstanceProfileArgs
        {
            Name = IamPolicies.NodeRoleName(settings),
            Role = nodeRole.Name,
            Tags = tags,
        }, child);

        var autoscalerRole = new Role($"{name}-autoscaler", new RoleArgs
        {
            Name = IamPolicies.AutoscalerRoleName(settings),
            AssumeRolePolicy = IamPolicies.PodIdentityTrust().ToJson(),
            Tags = tags,
        }, child);
        _ = new RolePolicy($"{name}-autoscaler", new RolePolicyArgs
        {
            Role = autoscalerRole.Name,
            Policy = Output.Tuple(args.Partition, args.AccountId, args.InterruptionQueueArn, nodeRole.Arn).Apply(t =>
                IamPolicies.AutoscalerPolicy(new AutoscalerPolicyScope(t.Item1, settings.Region, t.Item2, settings.ClusterName, t.Item3, t.Item4)).ToJson()),
        }, child);

        var ebsCsiRole = new Role($"{name}-ebs-csi", new RoleArgs
        {
            Name = IamPolicies.EbsCsiDriverRoleName(settings),
            AssumeRolePolicy = IamPolicies.PodIdentityTrust().ToJson(),
            Tags = tags,
        }, child);
        _ = new RolePolicyAttachment($"{name}-ebs-csi", new RolePolicyAttachmentArgs
        {
            Role = ebsCsiRole.Name,
            PolicyArn = args.Partition.Apply(IamPolicies.EbsCsiDriverPolicyArn),
        }, child);

        if (args.CreateSpotServiceLinkedRole)
        {
            // Account-wide, and needed by every spot user of the account: created once when missing, never deleted by
            // this stack (a later run finds it and stops declaring it; RetainOnDelete keeps it then and on destroy).
            _ = new ServiceLinkedRole($"{name}-spot", new ServiceLinkedRoleArgs
            {
                AwsServiceName = IamPolicies.SpotServiceName,
            }, new CustomResourceOptions { Parent = this, RetainOnDelete = true });
        }

        NodeRole = nodeRole;
        NodeRoleArn = nodeRole.Arn;
        InstanceProfileName = instanceProfile.Name;
        AutoscalerRoleArn = autoscalerRole.Arn;
        EbsCsiDriverRoleArn = ebsCsiRole.Arn;
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["nodeRoleArn"] = NodeRoleArn,
            ["instanceProfileName"] = InstanceProfileName,
            ["autoscalerRoleArn"] = AutoscalerRoleArn,
            ["ebsCsiDriverRoleArn"] = EbsCsiDriverRoleArn,
        });
    }

    /// <summary>The node role, for the cluster's access entry and the system node group.</summary>
    public Role NodeRole { get; }

    [Output("nodeRoleArn")]
    public Output<string> NodeRoleArn { get; private set; }

    [Output("instanceProfileName")]
    public Output<string> InstanceProfileName { get; private set; }

    [Output("autoscalerRoleArn")]
    public Output<string> AutoscalerRoleArn { get; private set; }

    [Output("ebsCsiDriverRoleArn")]
    public Output<string> EbsCsiDriverRoleArn { get; private set; }
}
