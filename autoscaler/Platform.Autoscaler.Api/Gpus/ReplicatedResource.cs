namespace Platform.Autoscaler.Api.Gpus;

/// <summary>One resource the device plugin shares: each device of it is advertised <paramref name="Replicas"/> times.</summary>
/// <param name="Name">The full resource name, e.g. nvidia.com/gpu or nvidia.com/mig-1g.10gb.</param>
/// <param name="Replicas">Replicas per device (1 leaves it unshared).</param>
public sealed record ReplicatedResource(string Name, int Replicas);
