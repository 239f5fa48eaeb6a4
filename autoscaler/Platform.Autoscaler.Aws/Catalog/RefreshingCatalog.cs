using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Aws.Catalog;

/// <summary>
/// The region's catalog read from EC2 and kept for <paramref name="ttl"/>; one read at a time. A refresh that fails
/// keeps the last catalog that was read (prices and zones change slowly, launches must not stop for a Describe
/// error) and reports the failure; only a first read that fails is an error.
/// </summary>
public sealed class RefreshingCatalog(
    Ec2CatalogReader reader, string region, IReadOnlyDictionary<string, double> onDemand, string priceSource, TimeProvider time,
    TimeSpan ttl, Action<Exception>? onRefreshFailed = null)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (InstanceCatalog Catalog, DateTimeOffset At)? last;

    /// <summary>The catalog, re-read when older than the TTL.</summary>
    public async Task<InstanceCatalog> GetAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (last is { } cached && now - cached.At < ttl)
            {
                return cached.Catalog;
            }

            try
            {
                var fresh = await reader.ReadAsync(region, onDemand, priceSource, now.UtcDateTime, cancellationToken).ConfigureAwait(false);
                last = (fresh, now);
                return fresh;
            }
            catch (Exception e) when (last is not null && e is not OperationCanceledException)
            {
                onRefreshFailed?.Invoke(e);
                // Try again after a tenth of the TTL rather than on every call.
                last = (last.Value.Catalog, now - ttl + ttl / 10);
                return last.Value.Catalog;
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
