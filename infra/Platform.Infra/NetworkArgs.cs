using Platform.Infra.Blueprint.Network;

namespace Platform.Infra;

/// <summary>The VPC layout the blueprint computed.</summary>
public sealed record NetworkArgs(NetworkPlan Plan);
