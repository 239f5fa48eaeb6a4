using System.Collections.Immutable;
using System.Text.Json;
using k8s;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.Ordering;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The EC2NodeClasses and NodePools as custom resources, their specs serialized from the same C# objects the
/// autoscaler's validator accepted (<see cref="Platform.Infra.Blueprint.StackBlueprint"/>). A NodePool is deleted in
/// the foreground: the API server keeps it until the NodeClaims it owns are gone, which is when the autoscaler has
/// terminated their instances, so <c>pulumi destroy</c> deletes nothing the autoscaler needs before then.
/// </summary>
public sealed class NodePools : ComponentResource
{
    public NodePools(string name, NodePoolsArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:NodePools", name, options)
    {
        var stages = args.Stages;
        var after = ComponentOptions.Child(this, args.Provider, stages.DependenciesOf(Stage.NodeClasses));
        var classes = args.Set.NodeClasses
            .Select(c => new CustomResource($"ec2nodeclass-{c.Metadata.Name}",
                Args(EC2NodeClass.GroupVersion, EC2NodeClass.KindName, new ObjectMetaArgs { Name = c.Metadata.Name }, c), after))
            .ToList();
        stages.Add(Stage.NodeClasses, classes);

        var afterClasses = ComponentOptions.Child(this, args.Provider, stages.DependenciesOf(Stage.NodePools));
        afterClasses.CustomTimeouts = new CustomTimeouts { Delete = StackOrder.NodePoolDeleteTimeout };
        var pools = args.Set.NodePools
            .Select(pool => new CustomResource($"nodepool-{pool.Metadata.Name}", Args(NodePool.GroupVersion, NodePool.KindName, new ObjectMetaArgs
            {
                Name = pool.Metadata.Name,
                Annotations = { [StackOrder.DeletionPropagationAnnotation] = StackOrder.ForegroundDeletion },
            }, pool), afterClasses))
            .ToList();
        stages.Add(Stage.NodePools, pools);

        Names = Output.Create(args.Set.NodePoolNames.ToImmutableArray());
        RegisterOutputs(new Dictionary<string, object?> { ["names"] = Names });
    }

    [Output("names")]
    public Output<ImmutableArray<string>> Names { get; private set; }

    private static CustomObjectArgs Args(string apiVersion, string kind, ObjectMetaArgs metadata, object value)
    {
        using var json = JsonDocument.Parse(KubernetesJson.Serialize(value));
        return new CustomObjectArgs(apiVersion, kind, metadata, json.RootElement.GetProperty("spec").Clone());
    }
}
