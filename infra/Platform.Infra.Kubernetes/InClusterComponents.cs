namespace Platform.Infra.Kubernetes;

/// <summary>The in-cluster components of one stack.</summary>
public sealed record InClusterComponents(Observability Observability, GpuOperator GpuOperator, Keda Keda, Autoscaler Autoscaler, NodePools NodePools);
