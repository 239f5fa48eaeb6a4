namespace Platform.Autoscaler.Core.Catalog;

/// <summary>Where and how an instance type can be bought, and its hourly price in USD.</summary>
/// <param name="Zone">Availability zone, e.g. us-east-1a.</param>
/// <param name="CapacityType">spot, on-demand or reserved.</param>
/// <param name="Price">USD per hour.</param>
/// <param name="Available">False when the cloud has said it has no capacity (an unavailable-offerings entry).</param>
public sealed record Offering(string Zone, string CapacityType, double Price, bool Available = true);
