using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>
/// Turns a launch attempt's EC2NodeClass into what CreateFleet needs. The node class is resolved (subnets, security
/// groups, AMIs) at most once per <paramref name="ttl"/> and generation, since "latest" aliases move; the AMI is the
/// first whose requirements admit the attempt's cheapest instance type, and the launch carries only the types that
/// AMI serves (an NVIDIA AMI for GPU types, the standard one otherwise), as Karpenter does per launch template.
/// A class that did not resolve is looked at again after a minute at most, so a mended selector is seen soon.
/// </summary>
public sealed class LaunchSettingsResolver(
    Func<string, CancellationToken, Task<EC2NodeClass?>> nodeClasses, Ec2NodeClassResolver resolver, LaunchTemplateManager templates,
    Func<CancellationToken, Task<InstanceCatalog>> catalog, TimeProvider time, TimeSpan? ttl = null) : INodeClassProvider
{
    private static readonly TimeSpan NotReadyTtl = TimeSpan.FromMinutes(1);

    // Each class and AMI has a template per capacity type (a spot one tags the spot request).
    private static readonly string[] CapacityTypes = [WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand];

    // A launch may still be on its way to CreateFleet with a template a moment after it was ensured.
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromMinutes(10);
    private readonly TimeSpan ttl = ttl ?? TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, (string? Uid, long Generation, EC2NodeClassStatus Status, DateTimeOffset At)> resolved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> ensured = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private (InstanceCatalog Catalog, Dictionary<string, InstanceTypeInfo> ByName)? typesByName;

    /// <inheritdoc />
    public async Task<EC2NodeClassStatus> ResolveAsync(EC2NodeClass nodeClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        var name = nodeClass.Metadata.Name;
        var generation = nodeClass.Metadata.Generation ?? 0;
        lock (gate)
        {
            // The uid tells a class deleted and created again under its name (its generation starts over).
            if (resolved.TryGetValue(name, out var hit) && hit.Uid == nodeClass.Metadata.Uid && hit.Generation == generation
                && time.GetUtcNow() - hit.At < (NodeClassConditions.Problems(hit.Status).Count == 0 ? ttl : TimeSpan.FromTicks(Math.Min(ttl.Ticks, NotReadyTtl.Ticks))))
            {
                return hit.Status;
            }
        }

        var status = await resolver.ResolveAsync(nodeClass, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            resolved[name] = (nodeClass.Metadata.Uid, generation, status, time.GetUtcNow());
        }

        return status;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> DeleteUnusedAsync(IReadOnlyList<EC2NodeClass> nodeClasses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeClasses);
        lock (gate)
        {
            // Forget classes that were deleted.
            var current = nodeClasses.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in resolved.Keys.Where(k => !current.Contains(k)).ToList())
            {
                resolved.Remove(gone);
            }
        }

        var inUse = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nodeClass in nodeClasses)
        {
            var status = await ResolveAsync(nodeClass, cancellationToken).ConfigureAwait(false);
            inUse.UnionWith((status.Amis ?? []).Where(a => a.Id is not null)
                .SelectMany(a => CapacityTypes.Select(capacityType => templates.Name(nodeClass, status, a.Id!, capacityType))));
        }

        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var (name, at) in ensured.ToList())
            {
                if (now - at < InFlightGrace)
                {
                    inUse.Add(name);
                }
                else
                {
                    ensured.Remove(name);
                }
            }
        }

        return await templates.DeleteStaleAsync(inUse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The launch template, subnets and instance types for <paramref name="attempt"/>.</summary>
    /// <exception cref="NodeClassNotReadyException">The node class is missing or does not resolve.</exception>
    public async Task<NodeClassLaunchSettings> LaunchSettingsAsync(LaunchAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var nodeClass = await nodeClasses(attempt.NodeClass, cancellationToken).ConfigureAwait(false)
            ?? throw new NodeClassNotReadyException(attempt.NodeClass, ["not found"]);
        var status = await ResolveAsync(nodeClass, cancellationToken).ConfigureAwait(false);
        if (NodeClassConditions.Problems(status) is { Count: > 0 } problems)
        {
            throw new NodeClassNotReadyException(nodeClass.Metadata.Name, problems);
        }

        var types = TypesByName(await catalog(cancellationToken).ConfigureAwait(false));
        var amis = status.Amis ?? [];
        var amiOf = attempt.Offerings.Select(o => o.InstanceType).Distinct(StringComparer.Ordinal)
            .ToDictionary(t => t, t => types.TryGetValue(t, out var info) ? FirstServing(amis, InstanceTypeResolver.Labels(info)) : null, StringComparer.Ordinal);
        var imageId = attempt.Offerings.Select(o => amiOf[o.InstanceType]).FirstOrDefault(id => id is not null)
            ?? throw new NodeClassNotReadyException(nodeClass.Metadata.Name,
                [$"status.amis: no AMI serves any of the instance types {string.Join(", ", amiOf.Keys.Take(5))}{(amiOf.Count > 5 ? ", ..." : "")}"]);
        var template = await templates.EnsureAsync(nodeClass, status, imageId, attempt.CapacityType, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            ensured[template] = time.GetUtcNow();
        }

        var subnets = (status.Subnets ?? [])
            .Where(s => s.Zone is not null && s.Id is not null)
            .GroupBy(s => s.Zone!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Id!, StringComparer.Ordinal);
        return new NodeClassLaunchSettings(
            template, subnets, amiOf.Where(kv => kv.Value == imageId).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal), nodeClass.Spec?.Tags, nodeClass.Spec?.Context);
    }

    /// <summary>The catalog's types by name, built once per catalog (the provider hands out one object until it refreshes).</summary>
    private Dictionary<string, InstanceTypeInfo> TypesByName(InstanceCatalog current)
    {
        lock (gate)
        {
            if (typesByName is not { } cached || !ReferenceEquals(cached.Catalog, current))
            {
                cached = (current, current.InstanceTypes.ToDictionary(t => t.Name, StringComparer.Ordinal));
                typesByName = cached;
            }

            return cached.ByName;
        }
    }

    private static string? FirstServing(IEnumerable<ResolvedAmi> amis, IReadOnlyDictionary<string, string> labels) =>
        amis.FirstOrDefault(ami => ami.Serves(labels))?.Id;
}
