using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Ports;

/// <summary>
/// What the node class status controller needs from a cloud: an EC2NodeClass's selectors resolved into what its
/// status reports, and the release of launch resources no current class uses. Implemented on EC2 (launch
/// templates) and in memory for simulate.
/// </summary>
public interface INodeClassProvider
{
    /// <summary>
    /// The class's subnets, security groups, AMIs and instance profile, with one condition per dependency (False,
    /// with the field and reason, when its selectors matched nothing); transition times and Ready are the caller's.
    /// The provider may cache; cloud errors are thrown.
    /// </summary>
    Task<EC2NodeClassStatus> ResolveAsync(EC2NodeClass nodeClass, CancellationToken cancellationToken);

    /// <summary>Deletes what was made for launches (templates) that none of <paramref name="nodeClasses"/> uses now; returns what it deleted.</summary>
    Task<IReadOnlyList<string>> DeleteUnusedAsync(IReadOnlyList<EC2NodeClass> nodeClasses, CancellationToken cancellationToken);
}
