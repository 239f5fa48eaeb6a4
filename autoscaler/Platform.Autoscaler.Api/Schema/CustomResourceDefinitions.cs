using k8s;
using k8s.Models;

namespace Platform.Autoscaler.Api.Schema;

/// <summary>Generates the CRDs for the three kinds from the API types, so the cluster validates what the autoscaler reads.</summary>
public static class CustomResourceDefinitions
{
    /// <summary>The header every generated file starts with.</summary>
    public const string Header = "# Generated from Platform.Autoscaler.Api by `platform-autoscaler crds --out <dir>`. Do not edit.\n";

    /// <summary>NodePool, NodeClaim and EC2NodeClass CRDs, in that order.</summary>
    public static IReadOnlyList<GeneratedCrd> Generate() =>
    [
        Create(typeof(NodePool), NodePool.Group, NodePool.KindName, NodePool.Plural, "NodePoolList", "Cluster", [],
        [
            Column("NodeClass", "string", ".spec.template.spec.nodeClassRef.name"),
            Column("Nodes", "string", ".status.nodes"),
            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            Column("Age", "date", ".metadata.creationTimestamp"),
            Column("Weight", "integer", ".spec.weight", priority: 1),
            Column("CPU", "string", ".status.resources.cpu", priority: 1),
            Column("Memory", "string", ".status.resources.memory", priority: 1),
        ]),
        Create(typeof(NodeClaim), NodeClaim.Group, NodeClaim.KindName, NodeClaim.Plural, "NodeClaimList", "Cluster", [],
        [
            Column("Type", "string", ".metadata.labels.node\\.kubernetes\\.io/instance-type"),
            Column("Capacity", "string", ".metadata.labels.karpenter\\.sh/capacity-type"),
            Column("Zone", "string", ".metadata.labels.topology\\.kubernetes\\.io/zone"),
            Column("Node", "string", ".status.nodeName"),
            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            Column("Age", "date", ".metadata.creationTimestamp"),
            Column("ImageID", "string", ".status.imageID", priority: 1),
            Column("ID", "string", ".status.providerID", priority: 1),
            Column("NodePool", "string", ".metadata.labels.karpenter\\.sh/nodepool", priority: 1),
            Column("NodeClass", "string", ".spec.nodeClassRef.name", priority: 1),
            Column("Drifted", "string", ".status.conditions[?(@.type==\"Drifted\")].status", priority: 1),
        ]),
        Create(typeof(EC2NodeClass), EC2NodeClass.Group, EC2NodeClass.KindName, EC2NodeClass.Plural, "EC2NodeClassList", "Cluster", ["ec2nc", "ec2ncs"],
        [
            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            Column("Age", "date", ".metadata.creationTimestamp"),
            Column("Role", "string", ".spec.role", priority: 1),
        ]),
    ];

    private static V1CustomResourceColumnDefinition Column(string name, string type, string path, int? priority = null) =>
        new() { Name = name, Type = type, JsonPath = path, Priority = priority };

    private static GeneratedCrd Create(
        Type type, string group, string kind, string plural, string listKind, string scope,
        IList<string> shortNames, IList<V1CustomResourceColumnDefinition> columns)
    {
        var definition = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = kind,
                    ListKind = listKind,
                    Plural = plural,
                    Singular = kind.ToLowerInvariant(),
                    ShortNames = shortNames.Count > 0 ? shortNames : null,
                    Categories = ["karpenter"],
                },
                Scope = scope,
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = OpenApiSchema.ForKind(type) },
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        AdditionalPrinterColumns = columns,
                    },
                ],
            },
        };
        return new GeneratedCrd($"{group}_{plural}.yaml", definition, Header + KubernetesYaml.Serialize(definition));
    }
}
