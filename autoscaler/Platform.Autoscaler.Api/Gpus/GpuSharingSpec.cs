namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// How a NodePool's nodes share their GPUs, in the two labels of its template the GPU Operator reads: the MIG layout
/// (<c>nvidia.com/mig.config</c>, for the MIG manager) and the device plugin config (<c>nvidia.com/device-plugin.config</c>,
/// whose entry sets the MIG strategy and time-slicing). The names point into the operator's two configs
/// (<see cref="GpuOperatorConfig"/>).
/// </summary>
/// <param name="MigConfig">The layout's name, e.g. all-1g.10gb; null leaves the MIG manager's default (all-disabled).</param>
/// <param name="DevicePluginConfig">The device plugin config entry's name; null leaves the plugin's default entry.</param>
public sealed record GpuSharingSpec(string? MigConfig, string? DevicePluginConfig)
{
    /// <summary>Field path of the template's labels, under which errors about these two are reported.</summary>
    public const string LabelsPath = "spec.template.metadata.labels";

    /// <summary>Nothing declared: whole GPUs as the cluster's defaults advertise them.</summary>
    public static GpuSharingSpec None { get; } = new(null, null);

    /// <summary>Whether the pool declares nothing.</summary>
    public bool IsNone => MigConfig is null && DevicePluginConfig is null;

    /// <summary>The declaration of a pool's template.</summary>
    public static GpuSharingSpec Of(NodePool pool) => FromLabels(pool.Spec?.Template?.Metadata?.Labels);

    /// <summary>The declaration in a set of labels (a template's, or a node's).</summary>
    public static GpuSharingSpec FromLabels(IDictionary<string, string>? labels) => labels is null ? None : new(
        labels.TryGetValue(NvidiaLabels.MigConfig, out var mig) ? mig : null,
        labels.TryGetValue(NvidiaLabels.DevicePluginConfig, out var plugin) ? plugin : null);

    /// <summary>The labels a template carries for it.</summary>
    public IReadOnlyDictionary<string, string> ToLabels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (MigConfig is { } mig)
        {
            labels[NvidiaLabels.MigConfig] = mig;
        }

        if (DevicePluginConfig is { } plugin)
        {
            labels[NvidiaLabels.DevicePluginConfig] = plugin;
        }

        return labels;
    }
}
