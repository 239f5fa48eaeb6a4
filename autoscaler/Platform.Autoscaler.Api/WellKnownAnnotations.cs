namespace Platform.Autoscaler.Api;

/// <summary>Annotation keys and finalizers Karpenter v1 defines.</summary>
public static class WellKnownAnnotations
{
    /// <summary><c>karpenter.sh/do-not-disrupt</c> on a pod or node: never disrupt voluntarily.</summary>
    public const string DoNotDisrupt = "karpenter.sh/do-not-disrupt";
    /// <summary><c>karpenter.sh/nodepool-hash</c>: the NodePool's spec hash a NodeClaim was made from.</summary>
    public const string NodePoolHash = "karpenter.sh/nodepool-hash";
    /// <summary><c>karpenter.sh/nodepool-hash-version</c>.</summary>
    public const string NodePoolHashVersion = "karpenter.sh/nodepool-hash-version";
    /// <summary><c>karpenter.sh/nodeclaim-termination-timestamp</c>: when the drain must end.</summary>
    public const string NodeClaimTerminationTimestamp = "karpenter.sh/nodeclaim-termination-timestamp";
    /// <summary><c>karpenter.sh/nodeclaim-min-values-relaxed</c>.</summary>
    public const string NodeClaimMinValuesRelaxed = "karpenter.sh/nodeclaim-min-values-relaxed";
    /// <summary><c>karpenter.k8s.aws/ec2nodeclass-hash</c>: the node class spec hash.</summary>
    public const string Ec2NodeClassHash = "karpenter.k8s.aws/ec2nodeclass-hash";
    /// <summary><c>karpenter.k8s.aws/ec2nodeclass-hash-version</c>.</summary>
    public const string Ec2NodeClassHashVersion = "karpenter.k8s.aws/ec2nodeclass-hash-version";

    /// <summary>Finalizer that keeps a NodeClaim or node until its instance is gone.</summary>
    public const string TerminationFinalizer = "karpenter.sh/termination";

    /// <summary>Finalizer that keeps an EC2NodeClass until no NodeClaim uses it.</summary>
    public const string NodeClassTerminationFinalizer = "karpenter.k8s.aws/termination";
}
