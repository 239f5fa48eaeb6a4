using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>Something wrong in one of the GPU Operator's ConfigMaps.</summary>
/// <param name="Namespace">Its namespace, empty when a file gave none.</param>
/// <param name="Name">Its name.</param>
/// <param name="Error">The field (under <c>data[...]</c>) and the reason.</param>
public sealed record ConfigMapError(string Namespace, string Name, FieldError Error)
{
    /// <summary>ConfigMap/name, as errors print objects.</summary>
    public string Object => $"ConfigMap/{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Object}: {Error}";
}
