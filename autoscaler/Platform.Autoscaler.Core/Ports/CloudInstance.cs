namespace Platform.Autoscaler.Core.Ports;

/// <summary>An instance the cloud holds for this cluster.</summary>
/// <param name="ProviderId">aws:///zone/instance-id, as the node's spec.providerID reads.</param>
/// <param name="NodeClaim">The NodeClaim it was launched for (from its tags), if any.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Zone">Zone.</param>
/// <param name="CapacityType">spot or on-demand.</param>
/// <param name="Price">Hourly price at launch.</param>
/// <param name="LaunchedAt">Launch time.</param>
/// <param name="Running">False once terminating or terminated.</param>
public sealed record CloudInstance(string ProviderId, string? NodeClaim, string InstanceType, string Zone, string CapacityType, double Price, DateTimeOffset LaunchedAt, bool Running = true);
