using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// A GPU model as the instance catalog names it, with the MIG profiles it can be split into (none for GPUs without
/// MIG, such as the T4, A10G, L4 and L40S).
/// </summary>
/// <param name="Name">The catalog's lower-case GPU name (<c>karpenter.k8s.aws/instance-gpu-name</c>), e.g. a100.</param>
/// <param name="MemoryMiB">GPU memory as the catalog states it, telling apart models that share a name (A100 40 GB and
/// 80 GB); null when every model of the name is meant.</param>
/// <param name="Product">NVIDIA's product name, e.g. A100-SXM4-40GB.</param>
/// <param name="PciDeviceId">The PCI device and vendor id mig-parted's <c>device-filter</c> matches, e.g. 0x20B010DE; null
/// without MIG.</param>
/// <param name="MemorySlots">Memory slices a MIG-enabled GPU is cut into (8, or 4 on A30 and RTX PRO 6000); 0 without MIG.</param>
/// <param name="InOperatorDefaults">Whether the GPU Operator's default MIG manager config (v25.3.2) names layouts for it.</param>
/// <param name="Profiles">Its MIG profiles, smallest first; empty without MIG.</param>
public sealed record GpuModel(
    string Name, long? MemoryMiB, string Product, string? PciDeviceId, int MemorySlots, bool InOperatorDefaults, ImmutableArray<MigProfile> Profiles)
{
    /// <summary>Whether the GPU can be split with MIG.</summary>
    public bool SupportsMig => !Profiles.IsDefaultOrEmpty;

    /// <summary>Compute slices of the whole GPU (7, or 4 on A30 and RTX PRO 6000).</summary>
    public int ComputeSlots => SupportsMig ? Profiles.Max(p => p.ComputeSlices) : 0;

    /// <summary>The profile of that name, or null.</summary>
    public MigProfile? Profile(string name) => Profiles.IsDefault ? null : Profiles.FirstOrDefault(p => p.Name == name);

    /// <summary>Model and memory for messages, e.g. "a100 (A100-SXM4-40GB)".</summary>
    public override string ToString() => $"{Name} ({Product})";
}
