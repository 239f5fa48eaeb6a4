namespace Platform.Autoscaler.Core.Disruption;

/// <summary>The outcome of one pass: the commands of the first method that found any, and the reasoning (explain mode).</summary>
public sealed record DisruptionDecision(IReadOnlyList<DisruptionCommand> Commands, IReadOnlyList<string> Explanation);
