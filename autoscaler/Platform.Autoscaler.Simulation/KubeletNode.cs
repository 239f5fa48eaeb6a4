using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// The Node a kubelet registers for an instance: named for it, labelled as its type, zone and host, and NotReady, as a
/// real node is until its CNI starts (10-60 s on EKS). The API server adds the not-ready taint on creation; the
/// in-memory cluster and the fake API server do that, not this.
/// </summary>
public static class KubeletNode
{
    /// <summary>The Ready condition a kubelet reports before its network plugin is up.</summary>
    public static V1NodeCondition NotReady() => new()
    {
        Type = "Ready",
        Status = "False",
        Reason = "KubeletNotReady",
        Message = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    };

    /// <summary>The Ready condition of a kubelet that is up.</summary>
    public static V1NodeCondition Ready() => new() { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status" };

    /// <summary>The Ready condition the node lifecycle controller sets when a kubelet stops reporting.</summary>
    public static V1NodeCondition Unknown() => new() { Type = "Ready", Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status." };

    /// <summary>Replaces the node's Ready condition.</summary>
    public static void SetReady(V1Node node, V1NodeCondition ready)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Status ??= new V1NodeStatus();
        node.Status.Conditions = [.. (node.Status.Conditions ?? []).Where(c => c.Type != "Ready"), ready];
    }

    /// <summary>
    /// The Node for <paramref name="instance"/> of <paramref name="type"/>, with <paramref name="taints"/> and
    /// <paramref name="allocatable"/> (the type's full allocatable when null); <paramref name="labels"/> add to or
    /// override the type's.
    /// </summary>
    public static V1Node For(
        CloudInstance instance, InstanceType type, IEnumerable<V1Taint> taints,
        IDictionary<string, ResourceQuantity>? allocatable = null, IEnumerable<KeyValuePair<string, string>>? labels = null)
    {
        var name = "ip-" + instance.ProviderId.Split('/')[^1];
        var all = new Dictionary<string, string>(type.Labels, StringComparer.Ordinal)
        {
            [WellKnownLabels.Zone] = instance.Zone,
            [WellKnownLabels.Hostname] = name,
        };
        foreach (var (key, value) in labels ?? [])
        {
            all[key] = value;
        }

        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = all },
            Spec = new V1NodeSpec { ProviderID = instance.ProviderId, Taints = [.. taints] },
            Status = new V1NodeStatus
            {
                Allocatable = allocatable ?? NodeClaimFactory.Quantities(type.Allocatable),
                Capacity = NodeClaimFactory.Quantities(type.Capacity),
                Conditions = [NotReady()],
            },
        };
    }
}
