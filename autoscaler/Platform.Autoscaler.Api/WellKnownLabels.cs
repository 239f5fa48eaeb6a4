namespace Platform.Autoscaler.Api;

/// <summary>Label keys Karpenter v1 and Kubernetes define; requirements and nodes match on these.</summary>
public static class WellKnownLabels
{
    /// <summary>The API group of NodePool and NodeClaim.</summary>
    public const string KarpenterGroup = "karpenter.sh";
    /// <summary>The API group of EC2NodeClass.</summary>
    public const string AwsGroup = "karpenter.k8s.aws";

    /// <summary><c>karpenter.sh/nodepool</c>: the NodePool that owns a node.</summary>
    public const string NodePool = "karpenter.sh/nodepool";
    /// <summary><c>karpenter.sh/capacity-type</c>: spot, on-demand or reserved.</summary>
    public const string CapacityType = "karpenter.sh/capacity-type";
    /// <summary><c>karpenter.sh/registered</c>: set once the node joined.</summary>
    public const string NodeRegistered = "karpenter.sh/registered";
    /// <summary><c>karpenter.sh/initialized</c>: set once the node is ready with its resources.</summary>
    public const string NodeInitialized = "karpenter.sh/initialized";

    /// <summary><c>topology.kubernetes.io/zone</c>.</summary>
    public const string Zone = "topology.kubernetes.io/zone";
    /// <summary><c>topology.kubernetes.io/region</c>.</summary>
    public const string Region = "topology.kubernetes.io/region";
    /// <summary><c>topology.k8s.aws/zone-id</c>.</summary>
    public const string ZoneId = "topology.k8s.aws/zone-id";
    /// <summary><c>node.kubernetes.io/instance-type</c>.</summary>
    public const string InstanceType = "node.kubernetes.io/instance-type";
    /// <summary><c>kubernetes.io/arch</c>: amd64 or arm64.</summary>
    public const string Arch = "kubernetes.io/arch";
    /// <summary><c>kubernetes.io/os</c>: linux or windows.</summary>
    public const string Os = "kubernetes.io/os";
    /// <summary><c>kubernetes.io/hostname</c>: unique per node, never a requirement.</summary>
    public const string Hostname = "kubernetes.io/hostname";
    /// <summary><c>kubernetes.io/metadata.name</c>: the API server sets it on every namespace to its name.</summary>
    public const string NamespaceName = "kubernetes.io/metadata.name";
    /// <summary><c>node.kubernetes.io/windows-build</c>.</summary>
    public const string WindowsBuild = "node.kubernetes.io/windows-build";

    /// <summary><c>karpenter.k8s.aws/instance-hypervisor</c>.</summary>
    public const string InstanceHypervisor = "karpenter.k8s.aws/instance-hypervisor";
    /// <summary><c>karpenter.k8s.aws/instance-encryption-in-transit-supported</c>.</summary>
    public const string InstanceEncryptionInTransitSupported = "karpenter.k8s.aws/instance-encryption-in-transit-supported";
    /// <summary><c>karpenter.k8s.aws/instance-category</c>: c, g, p, inf ...</summary>
    public const string InstanceCategory = "karpenter.k8s.aws/instance-category";
    /// <summary><c>karpenter.k8s.aws/instance-family</c>: g5, p4d ...</summary>
    public const string InstanceFamily = "karpenter.k8s.aws/instance-family";
    /// <summary><c>karpenter.k8s.aws/instance-generation</c>: 5 for g5.</summary>
    public const string InstanceGeneration = "karpenter.k8s.aws/instance-generation";
    /// <summary><c>karpenter.k8s.aws/instance-local-nvme</c>: GiB of local NVMe.</summary>
    public const string InstanceLocalNvme = "karpenter.k8s.aws/instance-local-nvme";
    /// <summary><c>karpenter.k8s.aws/instance-size</c>: xlarge, 12xlarge ...</summary>
    public const string InstanceSize = "karpenter.k8s.aws/instance-size";
    /// <summary><c>karpenter.k8s.aws/instance-cpu</c>: vCPU count.</summary>
    public const string InstanceCpu = "karpenter.k8s.aws/instance-cpu";
    /// <summary><c>karpenter.k8s.aws/instance-cpu-manufacturer</c>.</summary>
    public const string InstanceCpuManufacturer = "karpenter.k8s.aws/instance-cpu-manufacturer";
    /// <summary><c>karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz</c>.</summary>
    public const string InstanceCpuSustainedClockSpeedMhz = "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz";
    /// <summary><c>karpenter.k8s.aws/instance-memory</c>: MiB.</summary>
    public const string InstanceMemory = "karpenter.k8s.aws/instance-memory";
    /// <summary><c>karpenter.k8s.aws/instance-ebs-bandwidth</c>: Mbps.</summary>
    public const string InstanceEbsBandwidth = "karpenter.k8s.aws/instance-ebs-bandwidth";
    /// <summary><c>karpenter.k8s.aws/instance-network-bandwidth</c>: Mbps.</summary>
    public const string InstanceNetworkBandwidth = "karpenter.k8s.aws/instance-network-bandwidth";
    /// <summary><c>karpenter.k8s.aws/instance-gpu-name</c>: lower case, e.g. a10g, h100.</summary>
    public const string InstanceGpuName = "karpenter.k8s.aws/instance-gpu-name";
    /// <summary><c>karpenter.k8s.aws/instance-gpu-manufacturer</c>: nvidia, amd ...</summary>
    public const string InstanceGpuManufacturer = "karpenter.k8s.aws/instance-gpu-manufacturer";
    /// <summary><c>karpenter.k8s.aws/instance-gpu-count</c>.</summary>
    public const string InstanceGpuCount = "karpenter.k8s.aws/instance-gpu-count";
    /// <summary><c>karpenter.k8s.aws/instance-gpu-memory</c>: MiB per GPU.</summary>
    public const string InstanceGpuMemory = "karpenter.k8s.aws/instance-gpu-memory";
    /// <summary><c>karpenter.k8s.aws/instance-accelerator-name</c>: inferentia, trainium ...</summary>
    public const string InstanceAcceleratorName = "karpenter.k8s.aws/instance-accelerator-name";
    /// <summary><c>karpenter.k8s.aws/instance-accelerator-manufacturer</c>.</summary>
    public const string InstanceAcceleratorManufacturer = "karpenter.k8s.aws/instance-accelerator-manufacturer";
    /// <summary><c>karpenter.k8s.aws/instance-accelerator-count</c>.</summary>
    public const string InstanceAcceleratorCount = "karpenter.k8s.aws/instance-accelerator-count";
    /// <summary><c>karpenter.k8s.aws/instance-capability-flex</c>.</summary>
    public const string InstanceCapabilityFlex = "karpenter.k8s.aws/instance-capability-flex";
    /// <summary><c>karpenter.k8s.aws/instance-tenancy</c>: default or dedicated.</summary>
    public const string InstanceTenancy = "karpenter.k8s.aws/instance-tenancy";
    /// <summary><c>karpenter.k8s.aws/capacity-reservation-id</c>.</summary>
    public const string CapacityReservationId = "karpenter.k8s.aws/capacity-reservation-id";
    /// <summary><c>karpenter.k8s.aws/capacity-reservation-type</c>.</summary>
    public const string CapacityReservationType = "karpenter.k8s.aws/capacity-reservation-type";
    /// <summary><c>karpenter.k8s.aws/capacity-reservation-interruptible</c>.</summary>
    public const string CapacityReservationInterruptible = "karpenter.k8s.aws/capacity-reservation-interruptible";
    /// <summary><c>karpenter.k8s.aws/placement-group-id</c>.</summary>
    public const string PlacementGroupId = "karpenter.k8s.aws/placement-group-id";
    /// <summary><c>karpenter.k8s.aws/placement-group-partition</c>.</summary>
    public const string PlacementGroupPartition = "karpenter.k8s.aws/placement-group-partition";
    /// <summary><c>karpenter.k8s.aws/nitro-sandbox</c>.</summary>
    public const string NitroSandbox = "karpenter.k8s.aws/nitro-sandbox";
    /// <summary><c>karpenter.k8s.aws/ec2nodeclass</c>: the node class a node was launched from.</summary>
    public const string Ec2NodeClass = "karpenter.k8s.aws/ec2nodeclass";

    /// <summary>Capacity type values.</summary>
    public static class CapacityTypes
    {
        /// <summary>Spot capacity.</summary>
        public const string Spot = "spot";
        /// <summary>On-demand capacity.</summary>
        public const string OnDemand = "on-demand";
        /// <summary>Reserved (capacity reservation) capacity.</summary>
        public const string Reserved = "reserved";
    }
}
