namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// What the NVIDIA GPU Operator runs on GPU nodes beyond the device plugin, GFD and DCGM exporter. The driver and the
/// container toolkit come with the EKS AL2023 NVIDIA AMI the GPU nodes boot, so they are not settings.
/// </summary>
/// <param name="MigManager">Whether the MIG manager runs (A100/H100 partitioning).</param>
/// <param name="MigStrategy"><c>none</c>, <c>single</c> or <c>mixed</c>.</param>
public sealed record GpuOperatorSettings(bool MigManager, string MigStrategy);
