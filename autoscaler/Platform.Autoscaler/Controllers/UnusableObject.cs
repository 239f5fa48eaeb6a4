namespace Platform.Autoscaler.Controllers;

/// <summary>An object the autoscaler skips because it cannot use it, and why (a field path and reason).</summary>
/// <param name="Kind">NodePool, EC2NodeClass, Pod, DaemonSet or Node.</param>
/// <param name="Namespace">The pod's or daemonset's namespace; null for cluster-scoped kinds.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Reason">What is wrong, e.g. "spec.limits[cpu]: must not be negative, got -4".</param>
public sealed record UnusableObject(string Kind, string? Namespace, string Name, string Reason);
