namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// The most each NodePool may buy: GPUs for the GPU pools, MIG slices for the MIG inference pool, time-sliced replicas
/// for the shared pool, cores and memory for the CPU pool.
/// </summary>
public sealed record NodePoolLimits(
    int Tier1SpotGpus,
    int Tier2SpotGpus,
    int Tier3OnDemandGpus,
    int TrainingGpus,
    int InferenceGpus,
    int CpuCores,
    string CpuMemory,
    int InferenceMigSlices = 56,
    int SharedGpuReplicas = 16);
