using System.Collections.Immutable;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.GpuSharing;

namespace Platform.Infra.Blueprint.NodePools;

/// <summary>An environment's NodePools and the EC2NodeClasses they reference, in the order they are applied.</summary>
public sealed record NodePoolSet(ImmutableArray<EC2NodeClass> NodeClasses, ImmutableArray<NodePool> NodePools)
{
    /// <summary>The GPU sharing the shared pools were made from, which the GPU Operator's values come from too.</summary>
    public GpuSharingPlan? GpuSharing { get; init; }

    /// <summary>The NodePools' names.</summary>
    public IEnumerable<string> NodePoolNames => NodePools.Select(p => p.Metadata.Name);

    /// <summary>NodePools whose template taints nodes with <c>nvidia.com/gpu</c>.</summary>
    public IEnumerable<NodePool> GpuNodePools =>
        NodePools.Where(p => p.Spec?.Template?.Spec?.Taints?.Any(t => t.Key == WellKnownTaints.NvidiaGpu) == true);
}
