namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>
/// A node one can buy in a re-pack: a pool's instance type within a set of offerings (zones and capacity types), with
/// its room for pods (allocatable less daemonset overhead), the capacity its pool's limits count, its price there, and
/// which items may run on it.
/// </summary>
internal sealed record PackingKind(int Pool, int Type, long[] Free, long[] Capacity, double Price, ItemSet Allows);
