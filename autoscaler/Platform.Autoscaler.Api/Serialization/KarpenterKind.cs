using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Schema;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>A kind this product reads: its apiVersion, CLR type, schema and typed deserializer (from JSON).</summary>
internal sealed record KarpenterKind(string ApiVersion, string Kind, Type Type, V1JSONSchemaProps Schema, Func<string, IValidatable> Deserialize)
{
    /// <summary>Builds the table afresh: schemas are mutable Kubernetes models, so none is shared.</summary>
    public static IReadOnlyList<KarpenterKind> CreateAll() =>
    [
        Create<NodePool>(NodePool.GroupVersion, NodePool.KindName),
        Create<NodeClaim>(NodeClaim.GroupVersion, NodeClaim.KindName),
        Create<EC2NodeClass>(EC2NodeClass.GroupVersion, EC2NodeClass.KindName),
    ];

    private static KarpenterKind Create<T>(string apiVersion, string kind)
        where T : IValidatable =>
        new(apiVersion, kind, typeof(T), OpenApiSchema.ForKind(typeof(T)), json => KubernetesJson.Deserialize<T>(json));
}
