using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Iam;

/// <summary>
/// Every IAM document of the stack: the node role (trust and the four managed policies), the autoscaler's role (EKS
/// Pod Identity trust and a least-privilege policy modelled on Karpenter's controller policy), the queue policy.
/// </summary>
public static class IamPolicies
{
    /// <summary>The managed policies every node needs: kubelet, VPC CNI, image pulls, and SSM for break-glass access.</summary>
    public static IReadOnlyList<string> NodeManagedPolicyNames { get; } =
        ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"];

    /// <summary>ARNs of <see cref="NodeManagedPolicyNames"/> in the given partition.</summary>
    public static IReadOnlyList<string> NodeManagedPolicyArns(string partition) =>
        [.. NodeManagedPolicyNames.Select(n => $"arn:{partition}:iam::aws:policy/{n}")];

    /// <summary>The node role's name, which the EC2NodeClasses name too (so they need no Pulumi output).</summary>
    public static string NodeRoleName(StackSettings settings) => NodeRoleName(settings.ClusterName);

    /// <summary>The node role's name for a cluster; the stack names the node instance profile the same.</summary>
    public static string NodeRoleName(string clusterName) => $"KarpenterNodeRole-{clusterName}";

    /// <summary>The service the EC2 Spot service-linked role is for.</summary>
    public const string SpotServiceName = "spot.amazonaws.com";

    /// <summary>The path AWS creates the EC2 Spot service-linked role under (IAM User Guide, service-linked roles).</summary>
    public const string SpotServiceLinkedRolePath = "/aws-service-role/spot.amazonaws.com/";

    /// <summary>The EC2 Spot service-linked role's name, fixed by AWS.</summary>
    public const string SpotServiceLinkedRoleName = "AWSServiceRoleForEC2Spot";

    /// <summary>
    /// Whether the stack must create the EC2 Spot service-linked role, given the roles the account has under its path.
    /// Without it every spot launch fails (AuthFailure.ServiceLinkedRoleCreationNotPermitted): EC2 creates it on the
    /// first spot request only for callers allowed iam:CreateServiceLinkedRole, which the autoscaler is not.
    /// </summary>
    public static bool NeedsSpotServiceLinkedRole(IEnumerable<string> rolesUnderSpotPath) =>
        !rolesUnderSpotPath.Contains(SpotServiceLinkedRoleName, StringComparer.Ordinal);

    /// <summary>The autoscaler role's name.</summary>
    public static string AutoscalerRoleName(StackSettings settings) => $"{settings.ClusterName}-autoscaler";

    /// <summary>The EBS CSI driver's role name (bound to its controller by EKS Pod Identity).</summary>
    public static string EbsCsiDriverRoleName(StackSettings settings) => $"{settings.ClusterName}-ebs-csi-driver";

    /// <summary>The AWS managed policy the EBS CSI driver needs.</summary>
    public static string EbsCsiDriverPolicyArn(string partition) => $"arn:{partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";

    /// <summary>EC2 instances may assume the node role.</summary>
    public static PolicyDocument NodeTrust() => new(
    [
        new PolicyStatement
        {
            Sid = "AllowEc2ToAssume",
            Principal = Service("ec2.amazonaws.com"),
            Action = ["sts:AssumeRole"],
        },
    ]);

    /// <summary>EKS Pod Identity may hand the role to the pods its pod identity association binds (autoscaler, EBS CSI).</summary>
    public static PolicyDocument PodIdentityTrust() => new(
    [
        new PolicyStatement
        {
            Sid = "AllowEksPodIdentity",
            Principal = Service("pods.eks.amazonaws.com"),
            Action = ["sts:AssumeRole", "sts:TagSession"],
        },
    ]);

    /// <summary>
    /// The autoscaler's permissions: exactly the calls it makes (checked by the IAM contract test in the AWS adapter's
    /// tests, which evaluates every request the autoscaler sends against this document), modelled on Karpenter's
    /// controller policy. Every mutating EC2 call is conditioned on this cluster's ownership tag, on the request when
    /// creating and on the resource otherwise. Instances, their volumes and fleets carry their NodePool's tag; launch
    /// templates serve every pool of a node class, so they, and the network interfaces and spot requests launched from
    /// them, carry the node class's tag instead. iam:PassRole covers only the node role; SQS only the queue.
    /// </summary>
    public static PolicyDocument AutoscalerPolicy(AutoscalerPolicyScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (partition, region, cluster) = (scope.Partition, scope.Region, scope.ClusterName);
        var owned = WellKnownTags.ClusterOwnership(cluster);
        string Ec2(string resource) => $"arn:{partition}:ec2:{region}:*:{resource}";
        // An instant fleet launches with the caller's own RunInstances permission, so each launch statement grants both.
        string[] launch = ["ec2:RunInstances", "ec2:CreateFleet"];
        (string, string, IReadOnlyList<string>)[] requestTagsFor(string tagKey) =>
        [
            ("StringEquals", $"aws:RequestTag/{owned}", ["owned"]),
            ("StringEquals", $"aws:RequestTag/{WellKnownTags.EksClusterName}", [cluster]),
            ("StringLike", $"aws:RequestTag/{tagKey}", ["*"]),
        ];
        (string, string, IReadOnlyList<string>)[] resourceTagsFor(string tagKey) =>
        [
            ("StringEquals", $"aws:ResourceTag/{owned}", ["owned"]),
            ("StringLike", $"aws:ResourceTag/{tagKey}", ["*"]),
        ];

        return new PolicyDocument(
        [
            new PolicyStatement
            {
                Sid = "AllowScopedEC2InstanceAccessActions",
                Action = launch,
                Resource = [$"arn:{partition}:ec2:{region}::image/*", $"arn:{partition}:ec2:{region}::snapshot/*", Ec2("security-group/*"), Ec2("subnet/*")],
            },
            new PolicyStatement
            {
                Sid = "AllowScopedEC2LaunchTemplateAccessActions",
                Action = launch,
                Resource = [Ec2("launch-template/*")],
                Condition = Conditions(resourceTagsFor(WellKnownTags.NodeClass)),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedEC2InstanceActionsWithTags",
                Action = launch,
                Resource = [Ec2("fleet/*"), Ec2("instance/*"), Ec2("volume/*")],
                Condition = Conditions(requestTagsFor(WellKnownTags.NodePool)),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedEC2NetworkInterfaceActionsWithTags",
                Action = launch,
                Resource = [Ec2("network-interface/*"), Ec2("spot-instances-request/*")],
                Condition = Conditions(requestTagsFor(WellKnownTags.NodeClass)),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedLaunchTemplateCreationWithTags",
                Action = ["ec2:CreateLaunchTemplate"],
                Resource = [Ec2("launch-template/*")],
                Condition = Conditions(requestTagsFor(WellKnownTags.NodeClass)),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedResourceCreationTagging",
                Action = ["ec2:CreateTags"],
                Resource = [Ec2("fleet/*"), Ec2("instance/*"), Ec2("volume/*"), Ec2("network-interface/*"), Ec2("launch-template/*"), Ec2("spot-instances-request/*")],
                Condition = Conditions(
                    [.. requestTagsFor(WellKnownTags.NodeClass), ("StringEquals", "ec2:CreateAction", ["RunInstances", "CreateFleet", "CreateLaunchTemplate"])]),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedInstanceTermination",
                Action = ["ec2:TerminateInstances"],
                Resource = [Ec2("instance/*")],
                Condition = Conditions(resourceTagsFor(WellKnownTags.NodePool)),
            },
            new PolicyStatement
            {
                Sid = "AllowScopedLaunchTemplateDeletion",
                Action = ["ec2:DeleteLaunchTemplate"],
                Resource = [Ec2("launch-template/*")],
                Condition = Conditions(resourceTagsFor(WellKnownTags.NodeClass)),
            },
            new PolicyStatement
            {
                Sid = "AllowRegionalReadActions",
                Action =
                [
                    "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
                ],
                Resource = ["*"],
                Condition = Conditions(("StringEquals", "aws:RequestedRegion", [region])),
            },
            new PolicyStatement
            {
                Sid = "AllowSSMReadActions",
                Action = ["ssm:GetParameter"],
                Resource = [$"arn:{partition}:ssm:{region}::parameter/aws/service/*"],
            },
            new PolicyStatement
            {
                Sid = "AllowInterruptionQueueActions",
                Action = ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                Resource = [scope.InterruptionQueueArn],
            },
            new PolicyStatement
            {
                Sid = "AllowPassingInstanceRole",
                Action = ["iam:PassRole"],
                Resource = [scope.NodeRoleArn],
                Condition = Conditions(("StringEquals", "iam:PassedToService", ["ec2.amazonaws.com"])),
            },
        ]);
    }

    /// <summary>EventBridge and SQS may send to the interruption queue, and only over TLS.</summary>
    public static PolicyDocument InterruptionQueuePolicy(string queueArn) => new(
    [
        new PolicyStatement
        {
            Sid = "AllowEventBridgeToSend",
            Principal = Service("events.amazonaws.com", "sqs.amazonaws.com"),
            Action = ["sqs:SendMessage"],
            Resource = [queueArn],
        },
        new PolicyStatement
        {
            Sid = "DenyHTTP",
            Effect = "Deny",
            Principal = new Dictionary<string, IReadOnlyList<string>> { ["AWS"] = ["*"] },
            Action = ["sqs:*"],
            Resource = [queueArn],
            Condition = Conditions(("Bool", "aws:SecureTransport", ["false"])),
        },
    ]);

    private static Dictionary<string, IReadOnlyList<string>> Service(params string[] services) => new() { ["Service"] = services };

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Conditions(
        params (string Operator, string Key, IReadOnlyList<string> Values)[] conditions)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var group in conditions.GroupBy(c => c.Operator))
        {
            result[group.Key] = group.ToDictionary(c => c.Key, c => c.Values, StringComparer.Ordinal);
        }

        return result;
    }
}
