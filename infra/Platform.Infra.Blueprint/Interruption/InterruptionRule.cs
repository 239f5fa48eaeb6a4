namespace Platform.Infra.Blueprint.Interruption;

/// <summary>An EventBridge rule that forwards one kind of event to the interruption queue.</summary>
/// <param name="Name">Suffix of the rule's name.</param>
/// <param name="Description">What the rule catches.</param>
/// <param name="EventPattern">The EventBridge pattern, as JSON.</param>
public sealed record InterruptionRule(string Name, string Description, string EventPattern);
