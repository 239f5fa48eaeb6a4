namespace Platform.Infra.Blueprint.Settings;

/// <summary>The most each NodePool may buy: GPUs for the GPU pools, cores and memory for the CPU pool.</summary>
public sealed record NodePoolLimits(
    int Tier1SpotGpus,
    int Tier2SpotGpus,
    int Tier3OnDemandGpus,
    int TrainingGpus,
    int InferenceGpus,
    int CpuCores,
    string CpuMemory);
