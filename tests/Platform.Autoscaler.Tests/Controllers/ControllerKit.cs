using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>The objects controller tests apply to the in-memory cluster, and a cloud that refuses chosen launches.</summary>
internal static class ControllerKit
{
    public static EC2NodeClass NodeClass(string name, long generation = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = generation },
        Spec = new EC2NodeClassSpec
        {
            Role = "node-role",
            AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
            SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = "c" } }],
            SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = "c" } }],
        },
    };

    /// <summary>A pool of <paramref name="nodeClass"/>; on-demand m types unless <paramref name="requirements"/> say otherwise.</summary>
    public static NodePool Pool(string name, string nodeClass, int? weight = null, params NodeSelectorRequirementWithMinValues[] requirements) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new NodePoolSpec
        {
            Weight = weight,
            Template = new NodeClaimTemplate
            {
                Spec = new NodeClaimTemplateSpec
                {
                    NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = nodeClass },
                    Requirements = requirements.Length > 0
                        ? requirements
                        :
                        [
                            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.CapacityType, Operator = Operators.In, Values = ["on-demand"] },
                            new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceCategory, Operator = Operators.In, Values = ["m"] },
                        ],
                },
            },
        },
    };

    /// <summary>A pending pod in the default namespace requesting <paramref name="cpu"/> and <paramref name="memory"/>.</summary>
    public static V1Pod Pod(string name, string cpu = "1", string memory = "2Gi") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
                },
            ],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };
}

/// <summary>The in-memory cloud, except that a launch for which <paramref name="refusal"/> gives an error throws it.</summary>
internal sealed class RefusingCloud(InMemoryCloud inner, Func<LaunchAttempt, Exception?> refusal) : ICloudProvider
{
    public InMemoryCloud Inner { get; } = inner;

    public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => Inner.GetCatalogAsync(cancellationToken);

    public Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken) =>
        refusal(attempt) is { } error ? throw error : Inner.CreateAsync(attempt, cancellationToken);

    public Task DeleteAsync(string providerId, CancellationToken cancellationToken) => Inner.DeleteAsync(providerId, cancellationToken);

    public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) => Inner.GetAsync(providerId, cancellationToken);

    public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) => Inner.ListAsync(cancellationToken);
}
