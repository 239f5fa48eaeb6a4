namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>The tags every instance and volume the autoscaler launches carries; garbage collection finds them by these.</summary>
public static class Ec2Tags
{
    /// <summary>kubernetes.io/cluster/&lt;name&gt; = owned.</summary>
    public static string Cluster(string clusterName) => $"kubernetes.io/cluster/{clusterName}";

    /// <summary>The NodePool.</summary>
    public const string NodePool = "karpenter.sh/nodepool";

    /// <summary>The NodeClaim (the launch's idempotency key).</summary>
    public const string NodeClaim = "karpenter.sh/nodeclaim";

    /// <summary>The EC2NodeClass.</summary>
    public const string NodeClass = "karpenter.k8s.aws/ec2nodeclass";

    /// <summary>The EKS cluster name.</summary>
    public const string EksClusterName = "eks:eks-cluster-name";
}
