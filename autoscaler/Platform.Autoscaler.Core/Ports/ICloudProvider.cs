using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Core.Ports;

/// <summary>
/// The one thing the autoscaler needs from a cloud: what it sells, buying a node, giving one back, and seeing what
/// it holds. Implemented on EC2 for production and in memory for tests and simulate. Failures are typed:
/// callers test for <see cref="InsufficientCapacityException"/> and <see cref="InstanceNotFoundException"/>,
/// never parse messages.
/// </summary>
public interface ICloudProvider
{
    /// <summary>
    /// Instance types and offerings, with prices. Called on every controller pass: the provider caches, and returns
    /// the same object until it refreshes (caches downstream key on that reference).
    /// </summary>
    Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Launches one instance for a NodeClaim, trying the attempt's offerings; idempotent per NodeClaim name (a retry
    /// after a timeout returns the instance the first call made). Throws <see cref="InsufficientCapacityException"/>
    /// naming every offering that had no capacity when none could be launched.
    /// </summary>
    Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Terminates an instance; throws <see cref="InstanceNotFoundException"/> when it is already gone.</summary>
    Task DeleteAsync(string providerId, CancellationToken cancellationToken);

    /// <summary>The instance, or throws <see cref="InstanceNotFoundException"/>.</summary>
    Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken);

    /// <summary>Every instance this cluster owns (tagged for it), for garbage collection.</summary>
    Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken);
}
