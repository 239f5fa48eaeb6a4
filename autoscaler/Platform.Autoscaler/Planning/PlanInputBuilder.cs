using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Model;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Autoscaler.Kubernetes;
using CorePod = Platform.Autoscaler.Core.Model.Pod;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// Turns NodePools, EC2NodeClasses, nodes and workloads into one solver input: each pool's instance types resolved
/// with its node class's kubelet settings and root volume (offered in its status's subnet zones, and the pool left
/// out when the class's status says it is not Ready) and offered as its GPU sharing makes them (MIG devices, slices,
/// replicas), its usage from the nodes it owns, and the overhead of the daemonsets that would run on its nodes.
/// </summary>
internal static class PlanInputBuilder
{
    public static (SchedulingInput Input, IReadOnlyList<string> Warnings) Build(
        IEnumerable<NodePool> nodePools, IEnumerable<EC2NodeClass> nodeClasses, Workloads workloads, InstanceCatalog catalog, GpuOperatorConfig? gpuOperator = null)
    {
        gpuOperator ??= GpuOperatorConfig.Defaults;
        var warnings = new List<string>();
        var classes = nodeClasses.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var resolved = new ResolvedTypes();
        var none = new HashSet<(string, string, string)>();
        // Succeeded and Failed pods hold nothing and count in no spread or affinity, as in the service.
        var live = workloads.Pods.Where(p => !ClusterView.IsTerminal(p)).ToList();
        var bound = live.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).ToLookup(p => p.Spec!.NodeName!, StringComparer.Ordinal);
        var nodes = workloads.Nodes.Select(n => Node(n, bound[n.Metadata.Name])).ToList();
        var daemons = workloads.DaemonSets.Select(d => PodConverter.Convert(new V1Pod { Metadata = d.Spec.Template.Metadata ?? new V1ObjectMeta { Name = d.Metadata.Name }, Spec = d.Spec.Template.Spec })).ToList();
        var templates = new List<NodePoolTemplate>();
        foreach (var pool in nodePools)
        {
            var className = pool.Spec?.Template?.Spec?.NodeClassRef?.Name ?? "";
            if (!classes.TryGetValue(className, out var nodeClass))
            {
                warnings.Add($"NodePool/{pool.Metadata.Name}: EC2NodeClass \"{className}\" is not among the inputs; planning with default kubelet settings and a 20Gi root volume");
            }
            else if (NodeClassConditions.IsNotReady(nodeClass))
            {
                warnings.Add($"NodePool/{pool.Metadata.Name}: EC2NodeClass \"{className}\" is not Ready ({string.Join("; ", NodeClassConditions.Problems(nodeClass.Status))}); the pool is left out, as the service would");
                continue;
            }

            var types = resolved.For(catalog, nodeClass, none);
            var (sharing, sharingErrors) = GpuSharingCheck.Check(pool, gpuOperator, types, s => resolved.Shared(types, s));
            if (sharing is null)
            {
                warnings.Add($"NodePool/{pool.Metadata.Name}: {string.Join("; ", sharingErrors)}; the pool is left out, as the service would");
                continue;
            }

            types = resolved.Shared(types, sharing).Offered;
            var owned = nodes.Where(n => n.NodePool == pool.Metadata.Name).ToList();
            // Usage toward limits is the nodes' capacity, as Karpenter counts it, not what pods may use of it.
            var template = NodePoolTemplate.From(pool, types,
                usage: owned.Aggregate(ResourceList.Empty, (sum, n) => sum.Add(n.Capacity ?? n.Allocatable)),
                nodeCount: owned.Count);
            templates.Add(template with { DaemonOverhead = DaemonOverhead(template, daemons) });
        }

        var unbound = live.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata?.DeletionTimestamp is null).ToList();
        var gated = unbound.Where(IsGated).ToList();
        warnings.AddRange(Grouped(gated.Select(p => (ClusterView.Id(p), "spec.schedulingGates: not planned until its scheduling gates are removed"))));
        var pending = unbound.Except(gated).ToList();
        warnings.AddRange(Grouped(pending.SelectMany(p => UnsupportedPodFields.Of(p.Spec).Select(field => (ClusterView.Id(p), field)))));
        var namespaces = workloads.Namespaces.ToDictionary(
            n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()), StringComparer.Ordinal);
        return (new SchedulingInput([.. pending.Select(PodConverter.Convert)], nodes, templates, NamespaceLabels: namespaces), warnings);
    }

    /// <summary>A pod kube-scheduler leaves alone until its gates are removed (Karpenter does not provision for it either).</summary>
    public static bool IsGated(V1Pod pod) => pod.Spec?.SchedulingGates is { Count: > 0 };

    /// <summary>One warning per distinct message, naming the pods it applies to (replicas share theirs).</summary>
    private static IEnumerable<string> Grouped(IEnumerable<(string Pod, string Message)> findings) =>
        findings.GroupBy(f => f.Message, StringComparer.Ordinal).Select(g =>
        {
            var pods = g.Select(f => f.Pod).Distinct(StringComparer.Ordinal).ToList();
            var named = string.Join(", ", pods.Take(3)) + (pods.Count > 3 ? $" and {pods.Count - 3} more" : "");
            return $"Pod {named}: {g.Key}";
        });

    /// <summary>Sum of the requests of daemonsets whose pods tolerate the pool's taints and match its requirements.</summary>
    public static ResourceList DaemonOverhead(NodePoolTemplate pool, IEnumerable<CorePod> daemons) =>
        daemons
            .Where(d => Toleration.ToleratesAll(d.Tolerations, pool.Taints)
                && d.NodeRequirements.Any(r => Requirements.Conflict(r, pool.Requirements, key => Api.Validation.LabelRules.WellKnown.Contains(key)) is null))
            .Aggregate(ResourceList.Empty, (sum, d) => sum.Add(d.Requests));

    public static ClusterNode Node(V1Node node, IEnumerable<V1Pod> pods) => new()
    {
        Name = node.Metadata.Name,
        NodePool = node.Metadata.Labels is { } labels && labels.TryGetValue(WellKnownLabels.NodePool, out var owner) ? owner : null,
        Labels = (node.Metadata.Labels ?? new Dictionary<string, string>()).ToDictionary(StringComparer.Ordinal),
        Taints = [.. (node.Spec?.Taints ?? []).Select(t => new Taint { Key = t.Key, Value = t.Value, Effect = t.Effect })],
        Allocatable = ResourceList.FromQuantities(node.Status?.Allocatable ?? node.Status?.Capacity),
        Capacity = node.Status?.Capacity is { Count: > 0 } capacity ? ResourceList.FromQuantities(capacity) : null,
        Pods = [.. pods.Select(PodConverter.ConvertBound)],
        Unschedulable = node.Spec?.Unschedulable == true,
    };
}
