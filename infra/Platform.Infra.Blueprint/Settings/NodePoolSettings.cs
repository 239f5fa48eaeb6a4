namespace Platform.Infra.Blueprint.Settings;

/// <summary>The environment's NodePools: the training pool's capacity type and every pool's limits.</summary>
/// <param name="TrainingCapacityType"><c>on-demand</c> (interruptions cost a restart from checkpoint) or <c>spot</c>.</param>
/// <param name="Limits">Per-pool limits.</param>
public sealed record NodePoolSettings(string TrainingCapacityType, NodePoolLimits Limits);
