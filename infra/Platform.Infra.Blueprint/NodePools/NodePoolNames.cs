namespace Platform.Infra.Blueprint.NodePools;

/// <summary>Names of the NodePools and EC2NodeClasses every environment declares.</summary>
public static class NodePoolNames
{
    /// <summary>First choice for GPU inference: A10G on spot.</summary>
    public const string Tier1G5Spot = "gpu-tier1-g5-spot";

    /// <summary>Spot fallback: T4.</summary>
    public const string Tier2G4dnSpot = "gpu-tier2-g4dn-spot";

    /// <summary>Last resort: A10G on demand.</summary>
    public const string Tier3G5OnDemand = "gpu-tier3-g5-ondemand";

    /// <summary>Training: large GPUs, protected from consolidation while jobs run.</summary>
    public const string Training = "gpu-training";

    /// <summary>Inference workloads that ask for it by label: T4, A10G and L4 in small sizes.</summary>
    public const string Inference = "gpu-inference";

    /// <summary>CPU workloads beside the system node group.</summary>
    public const string Cpu = "cpu-system";

    /// <summary>The EC2NodeClass for inference and the tiers.</summary>
    public const string GpuNodeClass = "gpu-optimized";

    /// <summary>The EC2NodeClass for training: bigger, faster disks and the EFA subnet.</summary>
    public const string TrainingNodeClass = "gpu-training";

    /// <summary>The EC2NodeClass for CPU nodes.</summary>
    public const string DefaultNodeClass = "default";
}
