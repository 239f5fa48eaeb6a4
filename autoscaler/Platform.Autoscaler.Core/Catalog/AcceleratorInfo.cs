namespace Platform.Autoscaler.Core.Catalog;

/// <summary>The Neuron accelerators (Inferentia, Trainium) of an instance type.</summary>
/// <param name="Name">Lower-case device name, e.g. inferentia2, trainium.</param>
/// <param name="Manufacturer">Lower-case, e.g. aws.</param>
/// <param name="Count">Neuron devices per instance (the aws.amazon.com/neuron resource).</param>
/// <param name="CoreCount">Neuron cores per instance (the aws.amazon.com/neuroncore resource).</param>
/// <param name="MemoryMiB">Memory of one device in MiB.</param>
public sealed record AcceleratorInfo(string Name, string Manufacturer, int Count, int CoreCount, long MemoryMiB);
