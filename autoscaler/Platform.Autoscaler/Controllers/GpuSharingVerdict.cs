using System.Globalization;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Whether a node whose GPUs are shared can initialize: the MIG manager repartitions after the node boots (reporting
/// <c>nvidia.com/mig.config.state</c>) and the device plugin then advertises the MIG devices or replicas. Until then
/// the node waits, counted as its claim expects. Once the MIG manager reports (or the device plugin advertises GPUs,
/// without MIG), or the timeout passes, a node advertising other GPU resources than its claim expects is a mismatch:
/// it initializes with what it has, so no plan counts resources it does not have.
/// </summary>
/// <param name="Wait">Not yet: the GPUs are still being set up.</param>
/// <param name="Reason">mismatch, failed or timeout (the metric's label).</param>
/// <param name="Message">The event's message.</param>
internal sealed record GpuSharingVerdict(bool Wait, string Reason, string Message)
{
    private static readonly GpuSharingVerdict Waiting = new(true, "", "");

    /// <summary>Null when the node advertises what the claim expects; else wait, or a mismatch to report.</summary>
    public static GpuSharingVerdict? Of(NodeClaim claim, V1Node node, GpuSharing sharing, ResourceList allocatable, DateTimeOffset now, TimeSpan timeout)
    {
        var expected = Gpus(ResourceList.FromQuantities(claim.Status?.Capacity));
        var advertised = Gpus(allocatable);
        if (expected.Count == 0)
        {
            return null;
        }

        var same = expected.Count == advertised.Count && expected.All(e => advertised.GetValueOrDefault(e.Key) == e.Value);
        var since = NodeClaimConditions.Since(claim, NodeClaimConditions.Registered) ?? now;
        var late = now - since >= timeout;
        var mig = sharing.Layout is { } layout && layout.Specs.Any(s => s.MigEnabled);
        var state = ClusterView.Get(node.Metadata.Labels, NvidiaLabels.MigConfigState);
        var what = mig ? $"layout {sharing.Layout!.Name}" : "device plugin config";
        var plugin = sharing.Spec.DevicePluginConfig is { } name ? $" with device plugin config {name}" : "";
        string Differs(string reason) =>
            $"node {node.Metadata.Name} advertises {Text(advertised)} where {what}{plugin} makes {Text(expected)}{reason}; it is planned with what it advertises";

        if (mig)
        {
            return state switch
            {
                NvidiaLabels.MigConfigStates.Success when same => null,
                NvidiaLabels.MigConfigStates.Success => new(false, "mismatch", Differs("")),
                NvidiaLabels.MigConfigStates.Failed => new(false, "failed", Differs($" (the MIG manager could not apply it: {NvidiaLabels.MigConfigState}=failed)")),
                _ when late => new(false, "timeout", Differs($" (the MIG manager did not report success within {Duration(timeout)}: {NvidiaLabels.MigConfigState}={state ?? "unset"})")),
                _ => Waiting,
            };
        }

        if (advertised.Count == 0)
        {
            return late ? new(false, "timeout", Differs($" (the device plugin advertised no GPU within {Duration(timeout)})")) : Waiting;
        }

        return same ? null : new(false, "mismatch", Differs(""));
    }

    private static Dictionary<string, long> Gpus(ResourceList resources) =>
        resources.Entries.Where(e => GpuSharing.IsGpuResource(e.Key) && e.Value > 0).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static string Text(Dictionary<string, long> resources) => resources.Count == 0
        ? "no GPU"
        : string.Join(", ", resources.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0}m" : $"{span.TotalSeconds:0}s";
}
