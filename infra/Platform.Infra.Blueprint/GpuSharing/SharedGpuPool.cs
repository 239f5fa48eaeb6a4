using System.Collections.Immutable;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;

namespace Platform.Infra.Blueprint.GpuSharing;

/// <summary>
/// One NodePool whose GPUs are shared, declared once: the NodePool (its families, labels and limit), the MIG layout
/// the MIG manager gives its GPUs and the device plugin entry that advertises them come from this record.
/// </summary>
/// <param name="Name">The NodePool's name, and the name of its device plugin config entry.</param>
/// <param name="Weight">The NodePool's weight.</param>
/// <param name="Labels">Labels of its nodes (what pods select), besides the two sharing labels.</param>
/// <param name="InstanceFamilies">The instance families it may buy.</param>
/// <param name="Gpus">The GPU models of those families: its MIG layout is written for each of them.</param>
/// <param name="CapacityTypes">spot and/or on-demand.</param>
/// <param name="MigLayout">A layout of the GPU Operator's defaults (all-1g.10gb, all-balanced ...), or null for no MIG.</param>
/// <param name="MigStrategy">How the device plugin advertises the MIG devices: single (as nvidia.com/gpu) or mixed.</param>
/// <param name="Replicas">Time-slicing replicas per GPU (or per MIG device); 1 for none.</param>
/// <param name="RenameShared">Advertise time-sliced GPUs as nvidia.com/gpu.shared, so only pods that ask for a share get one.</param>
/// <param name="LimitResource">The resource its limit is on (the one its nodes advertise).</param>
/// <param name="Limit">How much of it the pool may buy.</param>
public sealed record SharedGpuPool(
    string Name,
    int Weight,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<string> InstanceFamilies,
    ImmutableArray<GpuModel> Gpus,
    ImmutableArray<string> CapacityTypes,
    string? MigLayout,
    string MigStrategy,
    int Replicas,
    bool RenameShared,
    string LimitResource,
    int Limit)
{
    /// <summary>The device plugin config entry its nodes run: named after the pool.</summary>
    public string DevicePluginConfig => Name;

    /// <summary>The two labels its template carries.</summary>
    public GpuSharingSpec Spec => new(MigLayout, DevicePluginConfig);

    /// <summary>Its device plugin entry: the MIG strategy, and time-slicing of what its nodes advertise.</summary>
    public DevicePluginConfig DevicePlugin => new(MigStrategy,
        Replicas > 1
            ? new ReplicatedResources(RenameShared, false,
            [
                .. (MigLayout is null || MigStrategy == MigStrategies.Single
                    ? [WellKnownResources.NvidiaGpu]
                    : Layout.Specs.SelectMany(s => s.MigDevices.Keys).Distinct().Select(MigProfile.ResourceNameOf))
                    .Select(resource => new ReplicatedResource(resource, Replicas)),
            ])
            : null,
        null);

    /// <summary>
    /// Its MIG layout with an entry per GPU model (the default layout's entry for that model, limited to it by its PCI
    /// id), or an empty layout without MIG.
    /// </summary>
    public MigLayout Layout => MigLayout is { } name && MigPartedConfig.OperatorDefaults.Layouts.TryGetValue(name, out var layout)
        ? new MigLayout(name, [.. Gpus.Select(g => layout.For(g, 0) is { } spec ? spec with { DeviceFilter = [g.PciDeviceId!] } : null).OfType<MigDeviceSpec>()])
        : new MigLayout(MigLayout ?? "", []);

    /// <summary>Why the declaration cannot work (a layout the defaults lack, or one a GPU model cannot take); empty when it can.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MigLayout is { } name && !MigPartedConfig.OperatorDefaults.Layouts.ContainsKey(name))
        {
            problems.Add($"{Name}: MIG layout {name} is not one of the GPU Operator's default layouts");
            return problems;
        }

        var sharing = new Platform.Autoscaler.Api.Gpus.GpuSharing(Spec, MigLayout is null ? null : Layout, MigStrategy, DevicePlugin.Sharing);
        foreach (var gpu in Gpus)
        {
            if (sharing.Problem(gpu, 8, gpu.Name) is { } problem)
            {
                problems.Add($"{Name}: {problem}");
            }
        }

        return problems;
    }
}
