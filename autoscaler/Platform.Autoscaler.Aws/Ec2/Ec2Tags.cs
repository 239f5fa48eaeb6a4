using Amazon.EC2.Model;

namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>
/// The tags the autoscaler puts on what it creates. Garbage collection finds instances by them, and the IAM policy
/// allows creating and deleting only resources that carry them (IamPolicies in the blueprint names the same keys).
/// </summary>
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

    /// <summary>
    /// What a node class's launch templates, and the network interfaces and spot requests launched from them, carry:
    /// the class's own tags, then ownership, cluster and class (validation keeps the class from setting those keys).
    /// </summary>
    public static IReadOnlyList<Tag> ForNodeClass(string clusterName, string nodeClass, IDictionary<string, string>? classTags)
    {
        var tags = (classTags ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        tags[Cluster(clusterName)] = "owned";
        tags[EksClusterName] = clusterName;
        tags[NodeClass] = nodeClass;
        return [.. tags.Select(kv => new Tag(kv.Key, kv.Value))];
    }

    /// <summary>What an instance, its volumes and its fleet carry: the node class's tags and the pool and claim.</summary>
    public static IReadOnlyList<Tag> ForInstance(string clusterName, string nodeClass, IDictionary<string, string>? classTags, string nodePool, string nodeClaim)
    {
        var tags = ForNodeClass(clusterName, nodeClass, classTags).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        tags[NodePool] = nodePool;
        tags[NodeClaim] = nodeClaim;
        tags.TryAdd("Name", $"{nodePool}/{nodeClaim}");
        return [.. tags.Select(kv => new Tag(kv.Key, kv.Value))];
    }
}
