using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// Judges a NodePool's GPU sharing against the GPU Operator's configs and the instance types its requirements admit,
/// as <c>validate</c> and the service do: a layout or device plugin config the configs lack, and a layout or strategy
/// that some admitted GPU type cannot take (MIG on a T4, seven 1g.10gb on an A100 40 GB, a layout without an entry for
/// the H200), each an error under the label's field path naming the types and the fix.
/// </summary>
public static class GpuSharingCheck
{
    /// <summary>
    /// The pool's sharing, or the errors that keep it from being planned. <paramref name="offer"/> gives the types under
    /// a sharing (<see cref="SharedGpuTypes.Apply"/> of <paramref name="types"/> when null); a caller that offers the
    /// shared types next passes its cached one, so they are worked out once.
    /// </summary>
    public static (GpuSharing? Sharing, IReadOnlyList<FieldError> Errors) Check(
        NodePool pool, GpuOperatorConfig config, IReadOnlyList<InstanceType> types, Func<GpuSharing, SharedGpuOffer>? offer = null)
    {
        var spec = GpuSharingSpec.Of(pool);
        if (spec.IsNone && config.DefaultDevicePluginConfig is null)
        {
            return (GpuSharing.WholeGpus, []);
        }

        var (sharing, errors) = config.Resolve(spec);
        if (sharing is null || !sharing.ChangesResources)
        {
            return (sharing, errors);
        }

        var template = NodePoolTemplate.From(pool, types);
        var admitted = types.Where(t => t.Info.Gpu is { Manufacturer: "nvidia", Count: > 0 } && template.Offered(t) is not null).ToList();
        var path = FieldPath.Key(GpuSharingSpec.LabelsPath, spec.MigConfig is not null ? NvidiaLabels.MigConfig : NvidiaLabels.DevicePluginConfig);
        if (admitted.Count == 0)
        {
            return (null, [new FieldError(path, "the pool shares GPUs, but its requirements admit no NVIDIA GPU instance type")]);
        }

        // Whether a type takes the sharing depends on the type alone, so the offer over all types refuses the admitted ones alike.
        var admittedSet = admitted.ToHashSet(ReferenceEqualityComparer.Instance);
        var refused = (offer ?? (s => SharedGpuTypes.Apply(types, s)))(sharing).Refused.Where(r => admittedSet.Contains(r.Type)).ToList();
        if (refused.Count == 0)
        {
            return (sharing, []);
        }

        var takers = admitted.Except(refused.Select(r => r.Type)).Select(t => t.Info.Gpu!.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var fix = takers.Count > 0
            ? $"; limit the pool to GPUs that take it ({WellKnownLabels.InstanceGpuName} In [{string.Join(", ", takers)}]{(takers.Count < admitted.Select(t => t.Info.Gpu!.Name).Distinct().Count() ? "" : $" and {WellKnownLabels.InstanceGpuMemory}")})"
            : "";
        return (null,
        [
            .. refused.GroupBy(r => r.Reason, StringComparer.Ordinal).Select(g => new FieldError(path,
                $"{Types(g.Select(r => r.Type.Name))} cannot take it: {g.Key}{fix}")),
        ]);
    }

    private static string Types(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return string.Join(", ", list.Take(4)) + (list.Count > 4 ? $" and {list.Count - 4} more" : "");
    }
}
