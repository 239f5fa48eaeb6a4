using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Core.Ports;

/// <summary>One launch call: a NodeClaim, its node class, and the offerings of one capacity tier, cheapest first.</summary>
/// <param name="NodeClaim">The NodeClaim's name (the idempotency key).</param>
/// <param name="NodePool">Its pool.</param>
/// <param name="NodeClass">Its EC2NodeClass.</param>
/// <param name="CapacityType">The tier: spot or on-demand.</param>
/// <param name="Offerings">The tier's offerings, cheapest first.</param>
public sealed record LaunchAttempt(string NodeClaim, string NodePool, string NodeClass, string CapacityType, IReadOnlyList<LaunchOption> Offerings);
