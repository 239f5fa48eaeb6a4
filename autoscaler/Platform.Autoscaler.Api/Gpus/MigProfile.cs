using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// One MIG GPU instance profile of a GPU model, as NVIDIA's MIG user guide lists it.
/// </summary>
/// <param name="Name">The profile name without the "MIG " prefix, e.g. <c>1g.10gb</c> or <c>1g.10gb+me</c>.</param>
/// <param name="ComputeSlices">Compute slices (the "g" count): 1, 2, 3, 4 or 7.</param>
/// <param name="MemorySlices">Memory slices of the GPU's eight (four on A30 and RTX PRO 6000) it takes.</param>
/// <param name="MaxInstances">At most this many instances of the profile on one GPU.</param>
/// <param name="Placements">The memory slices an instance may start at (<c>nvidia-smi mig -lgipp</c>).</param>
public sealed record MigProfile(string Name, int ComputeSlices, int MemorySlices, int MaxInstances, ImmutableArray<int> Placements)
{
    /// <summary>Resource name prefix of MIG devices under the mixed strategy.</summary>
    public const string ResourcePrefix = "nvidia.com/mig-";

    /// <summary>
    /// The resource the device plugin advertises the profile as under the mixed strategy: <c>nvidia.com/mig-</c> and the
    /// name with <c>+</c> turned into <c>.</c> (k8s-device-plugin internal/rm/rm.go), e.g. <c>nvidia.com/mig-1g.10gb.me</c>.
    /// </summary>
    public string ResourceName => ResourceNameOf(Name);

    /// <summary>Memory in GB as the name states it (10 for 1g.10gb).</summary>
    public int MemoryGb => int.Parse(Name.Split('.')[1].Split('+')[0].TrimEnd('b').TrimEnd('g'), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the profile carries media extensions (+me): at most one such instance per GPU.</summary>
    public bool MediaExtensions => Name.Contains('+', StringComparison.Ordinal);

    /// <summary>The mixed-strategy resource name of a profile name.</summary>
    public static string ResourceNameOf(string profile) => ResourcePrefix + profile.Replace('+', '.');
}
