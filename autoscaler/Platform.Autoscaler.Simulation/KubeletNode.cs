using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Simulation;

/// <summary>The Node a kubelet registers for an instance: named for it, labelled as its type, zone and host, Ready.</summary>
public static class KubeletNode
{
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
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
            },
        };
    }
}
