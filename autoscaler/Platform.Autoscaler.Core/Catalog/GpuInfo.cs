namespace Platform.Autoscaler.Core.Catalog;

/// <summary>The GPUs of an instance type.</summary>
/// <param name="Name">Lower-case model, e.g. a10g, h100, t4.</param>
/// <param name="Manufacturer">Lower-case, e.g. nvidia, amd.</param>
/// <param name="Count">GPUs per instance.</param>
/// <param name="MemoryMiB">Memory of one GPU in MiB.</param>
public sealed record GpuInfo(string Name, string Manufacturer, int Count, long MemoryMiB);
