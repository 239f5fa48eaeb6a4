using k8s;
using k8s.Models;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>The list a custom resource's collection answers with: its items and the list's resourceVersion.</summary>
internal sealed class CustomObjectList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
