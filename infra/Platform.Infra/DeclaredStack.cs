using Platform.Infra.Kubernetes;

namespace Platform.Infra;

/// <summary>What <see cref="GpuPlatform.DeclareAsync"/> declared: the stack outputs and the resources of each stage.</summary>
public sealed record DeclaredStack(IDictionary<string, object?> Outputs, StagedResources Stages);
