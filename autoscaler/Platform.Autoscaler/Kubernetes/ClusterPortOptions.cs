using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>How <see cref="KubernetesClusterPort"/> names itself to the API server and how hard it retries.</summary>
public sealed record ClusterPortOptions
{
    /// <summary>The component name: the field manager of every write, and events' source and reporting component.</summary>
    public string Component { get; init; } = "platform-autoscaler";

    /// <summary>This replica (its pod name): events' reportingInstance and source host. Empty leaves them unset.</summary>
    public string Instance { get; init; } = "";

    /// <summary>How many times a write that meets an optimistic-concurrency conflict (409) is tried in all.</summary>
    public int ConflictAttempts { get; init; } = 5;

    /// <summary>
    /// An event repeated within this window (same object, type, reason and message) raises the first event's count
    /// instead of creating another, as client-go's event correlator does.
    /// </summary>
    public TimeSpan EventCorrelationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Hears every failed list or watch (the service logs them, rate-limited, and counts them).</summary>
    public InformerFailure? OnInformerFailure { get; init; }

    /// <summary>
    /// Where the GPU Operator keeps its MIG and device plugin configs; their namespace's ConfigMaps are watched and
    /// read into each snapshot. Null reads none (the operator's default MIG layouts apply).
    /// </summary>
    public GpuOperatorSource? GpuOperator { get; init; }

    /// <summary>At most this many recent events are remembered for correlation.</summary>
    public int EventCorrelationCapacity { get; init; } = 4096;
}
