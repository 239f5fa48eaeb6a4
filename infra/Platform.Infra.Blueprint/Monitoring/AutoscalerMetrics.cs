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

    /// <summary>
    /// Requests of the pods bound to each node, daemonset pods included, as Karpenter exports it: one series per node
    /// and resource_type, labelled node_name, nodepool, instance_type, capacity_type, zone and Karpenter's other
    /// well-known node labels.
    /// </summary>
    public const string NodePodRequests = "karpenter_nodes_total_pod_requests";

    /// <summary>Each node's allocatable resources (Karpenter's labels, as <see cref="NodePodRequests"/>).</summary>
    public const string NodeAllocatable = "karpenter_nodes_allocatable";

    /// <summary>The hourly price of each node the autoscaler launched, in USD (labels node_name, nodepool, instance_type, capacity_type, zone).</summary>
    public const string InstanceHourlyCost = "aws_ec2_instance_hourly_cost";

    /// <summary>
    /// The NodeClaim termination reasons that mean a launch failed: no capacity in any offering, no offering at all,
    /// a node class that does not resolve, a node that never registered (the reasons the autoscaler's lifecycle
    /// controller writes).
    /// </summary>
    public const string LaunchFailureReasons = "InsufficientCapacity|NoCompatibleOffering|NodeClassNotReady|Liveness";

    /// <summary>Recording rule: each node's hourly price, one series per node however many replicas were scraped.</summary>
    public const string NodeHourlyCost = "node:aws_ec2_instance_hourly_cost:max";

    /// <summary>
    /// The resource_type values of NVIDIA GPU devices in any form: whole GPUs, time-sliced replicas (nvidia.com/gpu.shared)
    /// and MIG devices (nvidia.com/mig-&lt;profile&gt;, which the node series write nvidia.com/mig_&lt;profile&gt;).
    /// </summary>
    public const string GpuResourceTypes = "nvidia.com/(gpu|gpu.shared|mig[-_].+)";

    /// <summary>Recording rule: each node's allocatable NVIDIA GPU devices (whole, shared or MIG), for nodes that have any.</summary>
    public const string NodeGpus = "node:karpenter_nodes_allocatable_nvidia_gpu:max";

    /// <summary>Recording rule: the hourly price of every node with GPUs, 0 when there is none.</summary>
    public const string GpuHourlyCost = "gpu:hourly_cost:sum";

    /// <summary>Recording rule: the share of that price the pods' GPU requests hold (a node's price times requested / allocatable GPUs).</summary>
    public const string GpuRequestedHourlyCost = "gpu:requested_hourly_cost:sum";

    /// <summary>
    /// Recording rule: one series per MIG instance the DCGM exporter reports (labels Hostname, gpu, GPU_I_PROFILE,
    /// GPU_I_ID and node_name), valued by its compute slices (1g: 1 ... 7g: 7).
    /// </summary>
    public const string MigInstanceSlices = "gpu_instance:compute_slices:max";

    /// <summary>Recording rule: the compute slices of each node's MIG instances.</summary>
    public const string NodeMigSlices = "node:gpu_instance_compute_slices:sum";

    /// <summary>
    /// Recording rule: each MIG instance's share of its node's hourly price, by compute slices (so a 3g instance costs
    /// three 1g ones), with the node's nodepool, instance_type and capacity_type.
    /// </summary>
    public const string MigInstanceHourlyCost = "gpu_instance:hourly_cost:max";

    /// <summary>DCGM's framebuffer used, in MB; reported per MIG instance (labels GPU_I_PROFILE, GPU_I_ID) on MIG GPUs.</summary>
    public const string DcgmFramebufferUsed = "DCGM_FI_DEV_FB_USED";

    /// <summary>DCGM's graphics engine activity (0-1), the utilisation MIG instances report (GPU_UTIL is not).</summary>
    public const string DcgmGraphicsEngineActive = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";

    /// <summary>DCGM's GPU utilisation, in percent.</summary>
    public const string DcgmGpuUtilization = "DCGM_FI_DEV_GPU_UTIL";
}
