namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// How the device plugin advertises MIG devices (k8s-device-plugin <c>flags.migStrategy</c>): <c>none</c> advertises
/// whole GPUs only; <c>single</c> advertises each MIG device as <c>nvidia.com/gpu</c> and needs every GPU of the node
/// split into one profile; <c>mixed</c> advertises <c>nvidia.com/mig-&lt;profile&gt;</c> per profile and whole GPUs as
/// <c>nvidia.com/gpu</c>.
/// </summary>
public static class MigStrategies
{
    /// <summary>Whole GPUs only.</summary>
    public const string None = "none";

    /// <summary>MIG devices as <c>nvidia.com/gpu</c>.</summary>
    public const string Single = "single";

    /// <summary>MIG devices as <c>nvidia.com/mig-&lt;profile&gt;</c>.</summary>
    public const string Mixed = "mixed";

    /// <summary>The three values.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Single, Mixed];
}
