namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A node one can buy in a re-pack: an instance type within a set of offerings (zones and capacity types), with its
/// room for pods (allocatable less daemonset overhead), the capacity it counts against the pool's limits, its price
/// there, and which items may run on it.
/// </summary>
internal sealed record PackingKind(int Type, long[] Free, long[] Capacity, double Price, ItemSet Allows);
