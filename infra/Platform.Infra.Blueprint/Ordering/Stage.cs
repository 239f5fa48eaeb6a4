namespace Platform.Infra.Blueprint.Ordering;

/// <summary>
/// A group of the stack's resources that <c>pulumi up</c> creates as one step and <c>pulumi destroy</c> deletes as one
/// step. <see cref="StackOrder"/> says which stage waits for which.
/// </summary>
public enum Stage
{
    /// <summary>VPC, subnets, internet and NAT gateways, route tables and their associations.</summary>
    Network,

    /// <summary>The SQS interruption queue, its policy and the EventBridge rules.</summary>
    InterruptionQueue,

    /// <summary>Node role and instance profile, the autoscaler's role and policy, the EBS CSI driver's role.</summary>
    Iam,

    /// <summary>The pulumi-eks Cluster: control plane, OIDC provider, access entries, security groups, vpc-cni and kube-proxy.</summary>
    ControlPlane,

    /// <summary>The system managed node group: the nodes the autoscaler, CoreDNS and the operators run on.</summary>
    SystemNodes,

    /// <summary>The eks-pod-identity-agent addon (a DaemonSet).</summary>
    PodIdentityAgent,

    /// <summary>The coredns addon (a Deployment).</summary>
    CoreDns,

    /// <summary>The aws-ebs-csi-driver addon (a controller Deployment and a node DaemonSet).</summary>
    EbsCsiDriver,

    /// <summary>The PodIdentityAssociation that gives the autoscaler's ServiceAccount its role.</summary>
    AutoscalerIdentity,

    /// <summary>The discovery tag on the EKS cluster security group, which the node classes select.</summary>
    ClusterSecurityGroupTag,

    /// <summary>The Kubernetes provider made from the cluster's kubeconfig.</summary>
    KubernetesProvider,

    /// <summary>kube-prometheus-stack (Prometheus, Grafana and the monitoring CRDs).</summary>
    Monitoring,

    /// <summary>The NVIDIA GPU Operator release.</summary>
    GpuOperator,

    /// <summary>The KEDA release.</summary>
    Keda,

    /// <summary>The NodePool, NodeClaim and EC2NodeClass CRDs.</summary>
    AutoscalerCrds,

    /// <summary>The autoscaler's Deployment.</summary>
    Autoscaler,

    /// <summary>The EC2NodeClasses.</summary>
    NodeClasses,

    /// <summary>The NodePools.</summary>
    NodePools,
}
