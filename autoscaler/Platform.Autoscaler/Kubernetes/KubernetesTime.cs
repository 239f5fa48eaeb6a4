namespace Platform.Autoscaler.Kubernetes;

/// <summary>The client reads Kubernetes timestamps (RFC 3339, always UTC) into DateTimes whose Kind it does not promise.</summary>
internal static class KubernetesTime
{
    /// <summary>The timestamp as the UTC instant it is.</summary>
    public static DateTimeOffset AsUtc(this DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc));
}
