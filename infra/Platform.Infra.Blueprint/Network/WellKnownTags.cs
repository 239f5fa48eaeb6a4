namespace Platform.Infra.Blueprint.Network;

/// <summary>AWS tag keys the stack writes and the autoscaler or AWS controllers read.</summary>
public static class WellKnownTags
{
    /// <summary>Subnets and security groups the autoscaler may use carry this tag with the cluster's name.</summary>
    public const string Discovery = "karpenter.sh/discovery";

    /// <summary>Resources the autoscaler launches carry <c>kubernetes.io/cluster/&lt;name&gt;: owned</c>.</summary>
    public static string ClusterOwnership(string cluster) => $"kubernetes.io/cluster/{cluster}";

    /// <summary>The EKS cluster name tag the autoscaler writes on instances.</summary>
    public const string EksClusterName = "eks:eks-cluster-name";

    /// <summary>The NodePool tag the autoscaler writes on instances, their volumes and fleets.</summary>
    public const string NodePool = "karpenter.sh/nodepool";

    /// <summary>The EC2NodeClass tag the autoscaler writes on everything it creates, launch templates included.</summary>
    public const string NodeClass = "karpenter.k8s.aws/ec2nodeclass";
}
