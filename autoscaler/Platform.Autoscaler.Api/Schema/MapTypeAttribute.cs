namespace Platform.Autoscaler.Api;

/// <summary><c>x-kubernetes-map-type</c>: atomic (replaced whole by server-side apply) or granular.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MapTypeAttribute(string type) : Attribute
{
    /// <summary>atomic or granular.</summary>
    public string Type { get; } = type;
}
