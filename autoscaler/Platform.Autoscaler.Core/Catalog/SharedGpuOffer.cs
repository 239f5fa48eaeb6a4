namespace Platform.Autoscaler.Core.Catalog;

/// <summary>The types a pool offers under its GPU sharing, and the GPU types it cannot, each with the reason.</summary>
/// <param name="Offered">Offered types (GPU ones with their shared resources).</param>
/// <param name="Refused">GPU types the sharing cannot apply to.</param>
public sealed record SharedGpuOffer(IReadOnlyList<InstanceType> Offered, IReadOnlyList<(InstanceType Type, string Reason)> Refused);
