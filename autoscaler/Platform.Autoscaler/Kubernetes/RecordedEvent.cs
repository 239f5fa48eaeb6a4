namespace Platform.Autoscaler.Kubernetes;

/// <summary>An event object as last written.</summary>
internal sealed record RecordedEvent(string Namespace, string Name, int Count, DateTime FirstTimestamp, DateTime LastTimestamp);
