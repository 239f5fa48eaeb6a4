namespace Platform.Autoscaler.Core.Launch;

/// <summary>An offering's identity: instance type, zone and capacity type.</summary>
public sealed record OfferingKey(string InstanceType, string Zone, string CapacityType)
{
    /// <inheritdoc />
    public override string ToString() => $"{CapacityType}:{InstanceType}:{Zone}";
}
