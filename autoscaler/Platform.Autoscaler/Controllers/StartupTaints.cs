using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Taints a node carries only while it starts, which Karpenter ignores until the node is initialized
/// (kubernetes-sigs/karpenter pkg/scheduling/taints.go, KnownEphemeralTaints, and StateNode.Taints): not-ready
/// (NoSchedule, and NoExecute), unreachable (NoSchedule), the cloud provider's uninitialized (NoSchedule),
/// karpenter.sh/unregistered (NoExecute), any <c>readiness.k8s.io/</c> key, and the NodeClaim's own startupTaints.
/// Taints match as Kubernetes matches them (Taint.MatchTaint): by key and effect, whatever the value.
/// </summary>
internal static class StartupTaints
{
    private const string ReadinessPrefix = "readiness.k8s.io/";

    private static readonly (string Key, string Effect)[] Ephemeral =
    [
        (WellKnownTaints.NotReady, TaintEffects.NoSchedule),
        (WellKnownTaints.NotReady, TaintEffects.NoExecute),
        (WellKnownTaints.Unreachable, TaintEffects.NoSchedule),
        (WellKnownTaints.Uninitialized, TaintEffects.NoSchedule),
        (WellKnownTaints.Unregistered, TaintEffects.NoExecute),
    ];

    /// <summary>A known ephemeral taint: every node has it for a while as it starts, and loses it once it is ready.</summary>
    public static bool IsEphemeral(string? key, string? effect) =>
        key is not null && (Ephemeral.Contains((key, effect ?? "")) || key.StartsWith(ReadinessPrefix, StringComparison.Ordinal));

    /// <summary>One of the claim's startupTaints (by key and effect).</summary>
    public static bool IsStartup(NodeClaim claim, string? key, string? effect) =>
        (claim.Spec?.StartupTaints ?? []).Any(t => t.Key == key && t.Effect == effect);

    /// <summary>What an initializing node's taint is worth to the planner: nothing when it is ephemeral or a startup taint.</summary>
    public static bool Ignored(NodeClaim claim, string? key, string? effect) => IsEphemeral(key, effect) || IsStartup(claim, key, effect);
}
