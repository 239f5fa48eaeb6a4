using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Model;

/// <summary>A pod toleration, as in core/v1.</summary>
/// <param name="Key">Taint key; empty with Exists tolerates every taint.</param>
/// <param name="Operator">Equal (default) or Exists.</param>
/// <param name="Value">Taint value for Equal.</param>
/// <param name="Effect">Effect to match; empty matches all effects.</param>
public sealed record Toleration(string? Key, string? Operator, string? Value, string? Effect)
{
    /// <summary>Whether this toleration tolerates the taint.</summary>
    public bool Tolerates(Taint taint)
    {
        if (!string.IsNullOrEmpty(Effect) && Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(Key))
        {
            return Operator == "Exists";
        }

        return Key == taint.Key && (Operator == "Exists" || (Value ?? "") == (taint.Value ?? ""));
    }

    /// <summary>Whether the tolerations tolerate every NoSchedule and NoExecute taint (PreferNoSchedule never blocks).</summary>
    public static bool ToleratesAll(IReadOnlyList<Toleration> tolerations, IEnumerable<Taint> taints) =>
        taints.All(t => t.Effect == TaintEffects.PreferNoSchedule || tolerations.Any(x => x.Tolerates(t)));

    /// <summary>
    /// The first taint not tolerated, or null. PreferNoSchedule taints count only when <paramref name="preferNoScheduleBlocks"/>:
    /// the scheduler avoids them as Karpenter does, until tolerating them is the last relaxation left.
    /// </summary>
    public static Taint? FirstUntolerated(IReadOnlyList<Toleration> tolerations, IEnumerable<Taint> taints, bool preferNoScheduleBlocks = false) =>
        taints.FirstOrDefault(t => (preferNoScheduleBlocks || t.Effect != TaintEffects.PreferNoSchedule) && !tolerations.Any(x => x.Tolerates(t)));
}
