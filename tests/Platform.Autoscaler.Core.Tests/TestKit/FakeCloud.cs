using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>An in-memory cloud with offerings that can be declared out of capacity; launches are idempotent per NodeClaim.</summary>
internal sealed class FakeCloud(InstanceCatalog catalog, DateTimeOffset now) : ICloudProvider
{
    private readonly Dictionary<string, CloudInstance> byClaim = new(StringComparer.Ordinal);

    public HashSet<OfferingKey> NoCapacity { get; } = [];

    public List<LaunchAttempt> Calls { get; } = [];

    public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);

    public Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken)
    {
        Calls.Add(attempt);
        if (byClaim.TryGetValue(attempt.NodeClaim, out var existing))
        {
            return Task.FromResult(existing);
        }

        var offering = attempt.Offerings.FirstOrDefault(o => !NoCapacity.Contains(new OfferingKey(o.InstanceType, o.Zone, o.CapacityType)));
        if (offering is null)
        {
            throw new InsufficientCapacityException([.. attempt.Offerings.Select(o => new OfferingKey(o.InstanceType, o.Zone, o.CapacityType))]);
        }

        var instance = new CloudInstance($"aws:///{offering.Zone}/i-{byClaim.Count:x8}", attempt.NodeClaim, offering.InstanceType, offering.Zone, offering.CapacityType, offering.Price, now);
        byClaim[attempt.NodeClaim] = instance;
        return Task.FromResult(instance);
    }

    public Task DeleteAsync(string providerId, CancellationToken cancellationToken)
    {
        var claim = byClaim.FirstOrDefault(kv => kv.Value.ProviderId == providerId).Key ?? throw new InstanceNotFoundException(providerId);
        byClaim.Remove(claim);
        return Task.CompletedTask;
    }

    public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) =>
        byClaim.Values.FirstOrDefault(i => i.ProviderId == providerId) is { } instance ? Task.FromResult(instance) : throw new InstanceNotFoundException(providerId);

    public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<CloudInstance>>([.. byClaim.Values]);
}
