namespace Platform.Infra.Blueprint.Settings;

/// <summary>The managed node group that runs the autoscaler, CoreDNS and the operators.</summary>
public sealed record SystemNodeGroupSettings(string InstanceType, int MinSize, int DesiredSize, int MaxSize, int DiskSizeGiB);
