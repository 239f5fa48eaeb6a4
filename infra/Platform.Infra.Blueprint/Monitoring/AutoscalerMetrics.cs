namespace Platform.Infra.Blueprint.Monitoring;

/// <summary>Metric names the rules and dashboards read: Karpenter's, which the autoscaler exports unchanged, and DCGM's.</summary>
public static class AutoscalerMetrics
{
    /// <summary>Resources in use per NodePool (labels nodepool, resource_type).</summary>
    public const string NodePoolUsage = "karpenter_nodepool_usage";

    /// <summary>Each NodePool's limit (labels nodepool, resource_type).</summary>
    public const string NodePoolLimit = "karpenter_nodepool_limit";

    /// <summary>NodeClaims terminated, by reason.</summary>
    public const string NodeClaimsTerminated = "karpenter_nodeclaims_terminated_total";

    /// <summary>Pod requests per node (labels node_name, nodepool, instance_type, resource_type).</summary>
    public const string NodePodRequests = "karpenter_nodes_total_pod_requests";

    /// <summary>The hourly price of each instance type in use, in USD (label instance_type), exported by the autoscaler.</summary>
    public const string InstanceHourlyCost = "aws_ec2_instance_hourly_cost";

    /// <summary>DCGM's GPU utilisation, in percent.</summary>
    public const string DcgmGpuUtilization = "DCGM_FI_DEV_GPU_UTIL";
}
