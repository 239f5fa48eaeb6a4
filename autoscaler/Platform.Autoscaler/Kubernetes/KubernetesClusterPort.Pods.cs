using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Cluster;

namespace Platform.Autoscaler.Kubernetes;

public sealed partial class KubernetesClusterPort
{
    /// <inheritdoc />
    /// <remarks>
    /// POSTs a policy/v1 Eviction to the pod's eviction subresource: 200 or 201 is <see cref="EvictionOutcome.Evicted"/>,
    /// 429 (a PodDisruptionBudget said no) <see cref="EvictionOutcome.Refused"/>, 404 <see cref="EvictionOutcome.Gone"/>.
    /// Any other failure (500 for a pod under two budgets, say) is thrown.
    /// </remarks>
    public async Task<EvictionOutcome> EvictAsync(string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var eviction = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        };
        try
        {
            await client.CoreV1.CreateNamespacedPodEvictionAsync(
                eviction, name, ns, fieldManager: options.Component, cancellationToken: cancellationToken).ConfigureAwait(false);
            return EvictionOutcome.Evicted;
        }
        catch (HttpOperationException e) when (e.IsTooManyRequests())
        {
            return EvictionOutcome.Refused;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return EvictionOutcome.Gone;
        }
    }

    /// <inheritdoc />
    /// <remarks>A plain delete: the pod keeps its own grace period.</remarks>
    public async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // gone already
        }
    }
}
