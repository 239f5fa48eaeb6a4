namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// A pool's GPU sharing resolved against the GPU Operator's configs: the MIG layout its nodes get, the MIG strategy
/// the device plugin advertises it with, and the time-slicing or MPS replication on top.
/// </summary>
/// <param name="Spec">What the pool declared.</param>
/// <param name="Layout">The MIG layout; null when the pool names none and the MIG manager's default leaves MIG off.</param>
/// <param name="MigStrategy">none, single or mixed.</param>
/// <param name="Sharing">Time-slicing or MPS replicas, or null.</param>
public sealed record GpuSharing(GpuSharingSpec Spec, MigLayout? Layout, string MigStrategy, ReplicatedResources? Sharing)
{
    /// <summary>Whole GPUs, unshared, as the device plugin advertises them by default.</summary>
    public static GpuSharing WholeGpus { get; } = new(GpuSharingSpec.None, null, MigStrategies.Single, null);

    /// <summary>Whether nodes advertise anything other than one nvidia.com/gpu per GPU.</summary>
    public bool ChangesResources => Layout is { } layout && layout.Specs.Any(s => s.MigEnabled) || Sharing is not null;

    /// <summary>
    /// Why a node with <paramref name="count"/> GPUs of <paramref name="model"/> (null: a GPU the MIG table does not know)
    /// cannot take this sharing, or null when it can: MIG on a GPU without it, a layout that has no entry for the model,
    /// profiles the GPU does not have or that do not fit it, and the single strategy with GPUs not all split alike.
    /// </summary>
    public string? Problem(GpuModel? model, int count, string gpuName)
    {
        if (Layout is not { } layout || !layout.Specs.Any(s => s.MigEnabled))
        {
            return null;
        }

        if (model is not { SupportsMig: true })
        {
            // A layout whose MIG entries are all limited to other models leaves this GPU whole: still not what the pool asks for.
            return $"{(model?.ToString() ?? gpuName)} has no MIG, so layout {layout.Name} cannot split it";
        }

        var devices = Enumerable.Range(0, count).Select(i => layout.For(model, i)).ToList();
        if (!devices.Any(d => d is { MigEnabled: true }))
        {
            return $"layout {layout.Name} has no entry for {model}: its GPUs would stay whole";
        }

        foreach (var device in devices.OfType<MigDeviceSpec>().Where(d => d.MigEnabled).Distinct())
        {
            if (MigPlacement.Problem(model, device.MigDevices.Where(d => d.Value > 0).ToDictionary(d => d.Key, d => d.Value)) is { } problem)
            {
                return $"layout {layout.Name}: {problem}";
            }
        }

        if (MigStrategy == MigStrategies.Single)
        {
            // The device plugin and GFD call a node "MIG-INVALID" unless every GPU is split into one and the same profile.
            var shapes = devices.Select(d => d is { MigEnabled: true } && d.MigDevices.Count(m => m.Value > 0) == 1 ? d.MigDevices.First(m => m.Value > 0).Key : null).ToList();
            if (shapes.Any(s => s is null) || shapes.Distinct().Count() != 1)
            {
                return $"the single MIG strategy needs every GPU split into one and the same profile, but layout {layout.Name} makes {model}'s GPUs {Describe(devices)}; use the mixed strategy";
            }
        }

        return null;
    }

    /// <summary>
    /// The GPU resources a node with <paramref name="count"/> GPUs of <paramref name="model"/> advertises under this sharing,
    /// as the device plugin advertises them: whole GPUs as nvidia.com/gpu; MIG devices as nvidia.com/gpu (single) or
    /// nvidia.com/mig-&lt;profile&gt; (mixed); each shared resource times its replicas, renamed to &lt;name&gt;.shared when
    /// the config says so. Call it for a type <see cref="Problem"/> accepts.
    /// </summary>
    public IReadOnlyDictionary<string, long> Advertised(GpuModel? model, int count)
    {
        var amounts = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(string resource, long amount) => amounts[resource] = amounts.GetValueOrDefault(resource) + amount;
        for (var i = 0; i < count; i++)
        {
            var device = model is { SupportsMig: true } && Layout is { } layout ? layout.For(model, i) : null;
            if (device is not { MigEnabled: true })
            {
                Add(WellKnownResources.NvidiaGpu, 1);
                continue;
            }

            if (MigStrategy == MigStrategies.None)
            {
                // Whole GPUs only: a MIG-enabled GPU is not advertised at all.
                continue;
            }

            foreach (var (profile, instances) in device.MigDevices.Where(d => d.Value > 0))
            {
                Add(MigStrategy == MigStrategies.Mixed ? MigProfile.ResourceNameOf(profile) : WellKnownResources.NvidiaGpu, instances);
            }
        }

        if (Sharing is { } sharing)
        {
            foreach (var shared in sharing.Resources.Where(r => r.Replicas > 1 && amounts.ContainsKey(r.Name)))
            {
                var devices = amounts[shared.Name];
                amounts.Remove(shared.Name);
                Add(sharing.AdvertisedName(shared.Name), devices * shared.Replicas);
            }
        }

        return amounts;
    }

    /// <summary>Whether a resource is one the GPU sharing decides (whole, shared or MIG GPUs).</summary>
    public static bool IsGpuResource(string resource) =>
        resource is WellKnownResources.NvidiaGpu or WellKnownResources.NvidiaGpu + ReplicatedResources.SharedSuffix
        || resource.StartsWith(MigProfile.ResourcePrefix, StringComparison.Ordinal);

    private static string Describe(List<MigDeviceSpec?> devices) => string.Join(", ", devices.Select((d, i) =>
        $"[{i}] " + (d is { MigEnabled: true } ? string.Join(" + ", d.MigDevices.Where(m => m.Value > 0).Select(m => $"{m.Value}x {m.Key}")) is { Length: > 0 } split ? split : "enabled, empty" : "whole")));
}
