using System.Collections.Immutable;
using System.Text.Json;
using k8s;
using Platform.Autoscaler.Api;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The EC2NodeClasses and NodePools as custom resources, their specs serialized from the same C# objects the
/// autoscaler's validator accepted (<see cref="Platform.Infra.Blueprint.StackBlueprint"/>).
/// </summary>
public sealed class NodePools : ComponentResource
{
    public NodePools(string name, NodePoolsArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:NodePools", name, options)
    {
        var after = ComponentOptions.Child(this, args.Provider, args.DependsOn);
        var classes = args.Set.NodeClasses
            .Select(c => new CustomResource($"ec2nodeclass-{c.Metadata.Name}", Args(EC2NodeClass.GroupVersion, EC2NodeClass.KindName, c.Metadata.Name, c), after))
            .ToList();
        var afterClasses = ComponentOptions.Child(this, args.Provider, [.. args.DependsOn, .. classes]);
        foreach (var pool in args.Set.NodePools)
        {
            _ = new CustomResource($"nodepool-{pool.Metadata.Name}", Args(NodePool.GroupVersion, NodePool.KindName, pool.Metadata.Name, pool), afterClasses);
        }

        Names = Output.Create(args.Set.NodePoolNames.ToImmutableArray());
        RegisterOutputs(new Dictionary<string, object?> { ["names"] = Names });
    }

    [Output("names")]
    public Output<ImmutableArray<string>> Names { get; private set; }

    private static CustomObjectArgs Args(string apiVersion, string kind, string name, object value)
    {
        using var json = JsonDocument.Parse(KubernetesJson.Serialize(value));
        return new CustomObjectArgs(apiVersion, kind, new ObjectMetaArgs { Name = name }, json.RootElement.GetProperty("spec").Clone());
    }
}
