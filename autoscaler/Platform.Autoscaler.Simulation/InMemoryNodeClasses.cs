using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// EC2NodeClass resolution in memory: a subnet in each of <paramref name="zones"/> (by default every zone the
/// catalog offers), one security group and one AMI serving every type. As on EC2, a selector list that is empty
/// matches nothing and so is reported False. Nothing is made for launches, so nothing is ever unused.
/// </summary>
public sealed class InMemoryNodeClasses(InstanceCatalog catalog, IReadOnlyCollection<string>? zones = null) : INodeClassProvider
{
    private readonly IReadOnlyList<string> zones = zones is { Count: > 0 }
        ? [.. zones.Order(StringComparer.Ordinal)]
        : [.. catalog.InstanceTypes.SelectMany(t => t.Offerings).Select(o => o.Zone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public Task<EC2NodeClassStatus> ResolveAsync(EC2NodeClass nodeClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        var spec = nodeClass.Spec ?? new EC2NodeClassSpec();
        var subnets = spec.SubnetSelectorTerms is { Count: > 0 } ? zones.Select(z => new ResolvedSubnet { Id = $"subnet-{z}", Zone = z }).ToList() : [];
        var groups = spec.SecurityGroupSelectorTerms is { Count: > 0 } ? [new ResolvedSecurityGroup { Id = "sg-simulated", Name = "simulated" }] : new List<ResolvedSecurityGroup>();
        var amis = spec.AmiSelectorTerms is { Count: > 0 } ? [new ResolvedAmi { Id = "ami-simulated", Name = "simulated", Requirements = [] }] : new List<ResolvedAmi>();
        return Task.FromResult(NodeClassConditions.WithDependents(new EC2NodeClassStatus
        {
            Subnets = subnets,
            SecurityGroups = groups,
            Amis = amis,
            InstanceProfile = spec.InstanceProfile ?? spec.Role,
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> DeleteUnusedAsync(IReadOnlyList<EC2NodeClass> nodeClasses, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
