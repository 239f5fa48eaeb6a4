using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Core.GarbageCollection;

/// <summary>What to clean up, each with the reason to log.</summary>
public sealed record GarbageDecision(
    IReadOnlyList<(CloudInstance Instance, string Why)> TerminateInstances,
    IReadOnlyList<(ClaimRecord Claim, string Why)> DeleteClaims);
