using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// EC2 in memory over a catalog: launches are idempotent per NodeClaim (as the client token makes them), take the
/// attempt's first offering that has capacity, and fail with the exhausted offerings named, as CreateFleet's errors
/// are mapped. Capacity is withheld by a rule the scenario sets; instances can be reclaimed (spot interruption).
/// </summary>
public sealed class InMemoryCloud(InstanceCatalog catalog, TimeProvider time) : ICloudProvider
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, CloudInstance> instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> byClaim = new(StringComparer.Ordinal);
    private int next;

    /// <summary>Offerings without capacity at a time; none by default.</summary>
    public Func<OfferingKey, DateTimeOffset, bool> NoCapacity { get; set; } = (_, _) => false;

    /// <summary>All instances ever launched, terminated ones included.</summary>
    public IReadOnlyList<CloudInstance> All
    {
        get
        {
            lock (gate)
            {
                return [.. instances.Values];
            }
        }
    }

    /// <inheritdoc />
    public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);

    /// <inheritdoc />
    public Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (byClaim.TryGetValue(attempt.NodeClaim, out var id) && instances[id].Running)
            {
                return Task.FromResult(instances[id]);
            }

            var now = time.GetUtcNow();
            var offering = attempt.Offerings.FirstOrDefault(o => !NoCapacity(new OfferingKey(o.InstanceType, o.Zone, o.CapacityType), now));
            if (offering is null)
            {
                throw new InsufficientCapacityException([.. attempt.Offerings.Select(o => new OfferingKey(o.InstanceType, o.Zone, o.CapacityType))],
                    attempt.CapacityType == "spot" ? "InsufficientInstanceCapacity (spot)" : "InsufficientInstanceCapacity");
            }

            var instanceId = $"i-{++next:x17}";
            var instance = new CloudInstance($"aws:///{offering.Zone}/{instanceId}", attempt.NodeClaim, offering.InstanceType, offering.Zone,
                offering.CapacityType, offering.Price, now);
            instances[instance.ProviderId] = instance;
            byClaim[attempt.NodeClaim] = instance.ProviderId;
            return Task.FromResult(instance);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string providerId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!instances.TryGetValue(providerId, out var instance) || !instance.Running)
            {
                throw new InstanceNotFoundException(providerId);
            }

            instances[providerId] = instance with { Running = false };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return instances.TryGetValue(providerId, out var instance) && instance.Running
                ? Task.FromResult(instance)
                : throw new InstanceNotFoundException(providerId);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<CloudInstance>>([.. instances.Values.Where(i => i.Running)]);
        }
    }

    /// <summary>Ends an instance from the cloud's side (a spot reclaim); false when it was not running.</summary>
    public bool Reclaim(string providerId)
    {
        lock (gate)
        {
            if (!instances.TryGetValue(providerId, out var instance) || !instance.Running)
            {
                return false;
            }

            instances[providerId] = instance with { Running = false };
            return true;
        }
    }
}
