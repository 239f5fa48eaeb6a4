using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Writes a planned node as a NodeClaim: the pool's labels, taints and node class; requirements narrowed to the
/// plan's instance types, zones and capacity types (so a relaunch after a restart tries the same offerings); the
/// requests it was planned for; the hashes drift is judged by; the termination finalizer; and, as in Karpenter, an
/// owner reference to the pool that blocks the pool's deletion: a NodePool deleted in the foreground (as
/// <c>pulumi destroy</c> does) stays until every NodeClaim it owns has been terminated, and deleting a pool any other
/// way still gets its NodeClaims deleted by the garbage collector.
/// </summary>
public static class NodeClaimFactory
{
    /// <summary>The NodeClaim for a planned claim of a pool.</summary>
    public static NodeClaim Create(string name, PlannedNodeClaim planned, NodePool pool, EC2NodeClass? nodeClass, int maxInstanceTypes)
    {
        var template = pool.Spec?.Template?.Spec ?? throw new ArgumentException($"NodePool/{pool.Metadata.Name} has no template spec", nameof(pool));
        var options = planned.Options;
        var types = options.Select(o => o.InstanceType).Distinct(StringComparer.Ordinal).Take(maxInstanceTypes).ToHashSet(StringComparer.Ordinal);
        var kept = options.Where(o => types.Contains(o.InstanceType)).ToList();
        var narrowed = new List<Requirement>
        {
            Requirement.In(WellKnownLabels.InstanceType, types),
            Requirement.In(WellKnownLabels.Zone, kept.Select(o => o.Zone).Distinct(StringComparer.Ordinal)),
            Requirement.In(WellKnownLabels.CapacityType, kept.Select(o => o.CapacityType).Distinct(StringComparer.Ordinal)),
        };
        var narrowedKeys = narrowed.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var requirements = planned.Requirements.All
            .Where(r => !narrowedKeys.Contains(r.Key))
            .Concat(narrowed.Select(r => planned.Requirements.Get(r.Key) is { } own ? own.Intersect(r) : r))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(ToApi)
            .ToList();

        var labels = new Dictionary<string, string>(pool.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownLabels.NodePool] = pool.Metadata.Name,
        };
        if (nodeClass is not null)
        {
            labels[WellKnownLabels.Ec2NodeClass] = nodeClass.Metadata.Name;
        }

        var annotations = new Dictionary<string, string>(pool.Spec?.Template?.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownAnnotations.NodePoolHash] = SpecHash.Of(pool),
            [WellKnownAnnotations.NodePoolHashVersion] = SpecHash.Version,
        };
        if (nodeClass is not null)
        {
            annotations[WellKnownAnnotations.Ec2NodeClassHash] = SpecHash.Of(nodeClass.Spec);
            annotations[WellKnownAnnotations.Ec2NodeClassHashVersion] = SpecHash.Version;
        }

        return new NodeClaim
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = labels,
                Annotations = annotations,
                Finalizers = [WellKnownAnnotations.TerminationFinalizer],
                OwnerReferences = OwnerOf(pool),
            },
            Spec = new NodeClaimSpec
            {
                Taints = template.Taints,
                StartupTaints = template.StartupTaints,
                Requirements = requirements,
                Resources = new ResourceRequirements { Requests = Quantities(planned.Requests) },
                NodeClassRef = template.NodeClassRef,
                TerminationGracePeriod = template.TerminationGracePeriod,
                ExpireAfter = template.ExpireAfter,
            },
        };
    }

    /// <summary>The pool as the claim's blocking owner; none for a pool that has no UID (one never stored by an API server).</summary>
    private static List<V1OwnerReference>? OwnerOf(NodePool pool) =>
        string.IsNullOrEmpty(pool.Metadata.Uid)
            ? null
            : [new V1OwnerReference { ApiVersion = NodePool.GroupVersion, Kind = NodePool.KindName, Name = pool.Metadata.Name, Uid = pool.Metadata.Uid, BlockOwnerDeletion = true }];

    /// <summary>The claim's requirements back in the solver's form.</summary>
    public static Requirements Requirements(NodeClaim claim) =>
        new((claim.Spec?.Requirements ?? []).Select(r => Requirement.From(r.Key!, r.Operator!, r.Values, r.MinValues)));

    /// <summary>Base units as exact Kubernetes quantities (CPU in millicores, the rest in plain units).</summary>
    public static Dictionary<string, ResourceQuantity> Quantities(ResourceList resources) =>
        resources.Entries.Where(kv => kv.Value > 0).ToDictionary(
            kv => kv.Key,
            kv => new ResourceQuantity(kv.Key == WellKnownResources.Cpu ? $"{kv.Value}m" : kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

    private static NodeSelectorRequirementWithMinValues ToApi(Requirement r)
    {
        var (op, values) = r switch
        {
            { GreaterThan: { } gt } => (Operators.Gt, new List<string> { gt.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            { LessThan: { } lt } => (Operators.Lt, [lt.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
            { Complement: false, Values.Count: 0 } => (Operators.DoesNotExist, []),
            { Complement: true, Values.Count: 0 } => (Operators.Exists, []),
            { Complement: true } => (Operators.NotIn, r.Values.Order(StringComparer.Ordinal).ToList()),
            _ => (Operators.In, r.Values.Order(StringComparer.Ordinal).ToList()),
        };
        return new NodeSelectorRequirementWithMinValues { Key = r.Key, Operator = op, Values = values.Count == 0 ? null : values, MinValues = r.MinValues };
    }
}
