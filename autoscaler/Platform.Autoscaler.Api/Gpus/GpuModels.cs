using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// The GPU models of the instance catalog and their MIG profiles.
/// </summary>
/// <remarks>
/// Source: NVIDIA Multi-Instance GPU User Guide, "Supported MIG Profiles"
/// (https://docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html): for each GPU the profile
/// names, their fraction of memory and of SMs, and the number of instances available; for the A100 also the placements
/// <c>nvidia-smi mig -lgipp</c> lists ({0..6}:1 for 1g.5gb, {0,2,4,6}:2 for 1g.10gb, {0,2,4}:2 for 2g.10gb, {0,4}:4 for
/// 3g.20gb, {0}:4 for 4g.20gb, {0}:8 for 7g.40gb), which the other seven-slice GPUs share. "A single 1g profile can
/// include media extensions": the +me profiles are one per GPU. The counts agree with the layouts of the GPU Operator's
/// default MIG manager config at v25.3.2 (github:NVIDIA/gpu-operator assets/state-mig-manager/0400_configmap.yaml,
/// checked by hand: all-1g.10gb is 7 on A100-80GB and H100-80GB and 4 on A100-40GB; all-1g.18gb 7 and all-1g.35gb 4 on
/// H200-141GB; all-1g.6gb 4 on A30), from which the PCI device ids of its device filters come too. The RTX PRO 6000
/// Blackwell's base profiles (1g.24gb x4, 2g.48gb x2, 4g.96gb x1; its +gfx and -me variants are left out) come from
/// mig-parted's newer default config (github:NVIDIA/mig-parted deployments/systemd/config-default.yaml), which the
/// operator's v25.3.2 defaults do not carry yet. GPUs without MIG (T4, A10G, L4, L40S, V100) list none.
/// </remarks>
public static class GpuModels
{
    /// <summary>Every model, MIG-capable ones first.</summary>
    public static ImmutableArray<GpuModel> All { get; } =
    [
        SevenSlice("a100", 40960, "A100-SXM4-40GB", "0x20B010DE", 5),
        SevenSlice("a100", 81920, "A100-SXM4-80GB", "0x20B210DE", 10),
        SevenSlice("h100", 81920, "H100-SXM5-80GB", "0x233010DE", 10),
        SevenSlice("h200", 144384, "H200-SXM-141GB", "0x233510DE", 18, [(1, 35), (2, 35), (3, 71), (4, 71), (7, 141)]),
        SevenSlice("b200", 183359, "B200-180GB", "0x290110DE", 23, [(1, 45), (2, 45), (3, 90), (4, 90), (7, 180)]),
        new("a30", 24576, "A30-24GB", "0x20B710DE", 4, InOperatorDefaults: true,
        [
            new("1g.6gb", 1, 1, 4, [0, 1, 2, 3]),
            new("1g.6gb+me", 1, 1, 1, [0, 1, 2, 3]),
            new("2g.12gb", 2, 2, 2, [0, 2]),
            new("2g.12gb+me", 2, 2, 1, [0, 2]),
            new("4g.24gb", 4, 4, 1, [0]),
        ]),
        new("rtx pro server 6000", 98304, "RTX-PRO-6000-Blackwell-Server", "0x2BB510DE", 4, InOperatorDefaults: false,
        [
            new("1g.24gb", 1, 1, 4, [0, 1, 2, 3]),
            new("2g.48gb", 2, 2, 2, [0, 2]),
            new("4g.96gb", 4, 4, 1, [0]),
        ]),
        WithoutMig("l40s", "L40S"),
        WithoutMig("a10g", "A10G"),
        WithoutMig("l4", "L4"),
        WithoutMig("t4", "T4"),
        WithoutMig("t4g", "T4G"),
        WithoutMig("v100", "V100"),
    ];

    /// <summary>
    /// The model of a catalog GPU: the one of that name and memory, else the one of that name for any memory; null for
    /// a GPU this table does not know (then it is treated as without MIG, and a MIG layout on it is refused).
    /// </summary>
    public static GpuModel? Find(string name, long memoryMiB) =>
        All.FirstOrDefault(m => m.Name == name && m.MemoryMiB == memoryMiB) ?? All.FirstOrDefault(m => m.Name == name && m.MemoryMiB is null);

    // The seven-slice GPUs share one shape: 1g with one memory slice (7) and +me (1), 1g with two (4), 2g (3), 3g (2),
    // 4g (1), 7g (1). Only the gigabytes in the names differ, and on H200 and B200 not in the one ratio.
    private static GpuModel SevenSlice(string name, long memoryMiB, string product, string pciId, int sliceGb, (int G, int Gb)[]? larger = null)
    {
        larger ??= [(1, sliceGb * 2), (2, sliceGb * 2), (3, sliceGb * 4), (4, sliceGb * 4), (7, sliceGb * 8)];
        return new(name, memoryMiB, product, pciId, 8, InOperatorDefaults: true,
        [
            new($"1g.{sliceGb}gb", 1, 1, 7, [0, 1, 2, 3, 4, 5, 6]),
            new($"1g.{sliceGb}gb+me", 1, 1, 1, [0, 1, 2, 3, 4, 5, 6]),
            new($"1g.{larger[0].Gb}gb", 1, 2, 4, [0, 2, 4, 6]),
            new($"2g.{larger[1].Gb}gb", 2, 2, 3, [0, 2, 4]),
            new($"3g.{larger[2].Gb}gb", 3, 4, 2, [0, 4]),
            new($"4g.{larger[3].Gb}gb", 4, 4, 1, [0]),
            new($"7g.{larger[4].Gb}gb", 7, 8, 1, [0]),
        ]);
    }

    private static GpuModel WithoutMig(string name, string product) => new(name, null, product, null, 0, InOperatorDefaults: false, []);
}
