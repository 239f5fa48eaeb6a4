namespace Platform.Infra.Blueprint.Settings;

/// <summary>What the NVIDIA GPU Operator installs on GPU nodes.</summary>
/// <param name="DriverEnabled">Whether the operator installs the driver (false when the AMI ships it).</param>
/// <param name="DriverVersion">The NVIDIA driver version the operator installs.</param>
/// <param name="MigManager">Whether the MIG manager runs (A100/H100 partitioning).</param>
/// <param name="MigStrategy"><c>none</c>, <c>single</c> or <c>mixed</c>.</param>
public sealed record GpuOperatorSettings(bool DriverEnabled, string DriverVersion, bool MigManager, string MigStrategy);
