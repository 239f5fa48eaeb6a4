using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Platform.Autoscaler.Aws.Resilience;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;
using Polly;

namespace Platform.Autoscaler.Aws.Ec2;

/// <summary>
/// The cloud port on EC2. A launch is one CreateFleet of type instant over every offering of the attempt (spot with
/// price-capacity-optimized, on-demand with lowest-price, cheapest first as priorities), tagged for the cluster,
/// pool, node class and NodeClaim (and the class's own tags) on instances, volumes and the fleet, with the class's
/// context. It is idempotent twice over: an instance already tagged for the NodeClaim is returned instead of launching,
/// and the fleet's client token derives from the NodeClaim.
/// Capacity errors in the fleet's answer become <see cref="InsufficientCapacityException"/> naming the offerings; a spot
/// launch refused for want of the Spot service-linked role makes every spot offering unavailable.
/// </summary>
public sealed class Ec2CloudProvider(
    IAmazonEC2 ec2, string clusterName, Func<LaunchAttempt, CancellationToken, Task<NodeClassLaunchSettings>> resolveNodeClass,
    Func<CancellationToken, Task<InstanceCatalog>> catalog, ResiliencePipeline? retry = null) : ICloudProvider
{
    // Throttling and transient failures are retried here; the fleet's client token makes a retried launch safe.
    private readonly ResiliencePipeline retry = retry ?? ResiliencePipeline.Empty;


    /// <summary>What a spot launch answers in an account without the EC2 Spot service-linked role.</summary>
    public const string SpotServiceLinkedRoleMissing = "AuthFailure.ServiceLinkedRoleCreationNotPermitted";

    /// <inheritdoc />
    public Task<InstanceCatalog> GetCatalogAsync(CancellationToken cancellationToken) => catalog(cancellationToken);

    /// <inheritdoc />
    public async Task<CloudInstance> CreateAsync(LaunchAttempt attempt, CancellationToken cancellationToken)
    {
        if (await FindByNodeClaimAsync(attempt.NodeClaim, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var settings = await resolveNodeClass(attempt, cancellationToken).ConfigureAwait(false);
        var offerings = attempt.Offerings.Where(o => settings.Serves(o.InstanceType, o.Zone)).ToList();
        if (offerings.Count == 0)
        {
            throw new InsufficientCapacityException([.. attempt.Offerings.Select(o => new OfferingKey(o.InstanceType, o.Zone, o.CapacityType))],
                $"EC2NodeClass {attempt.NodeClass} has no subnet in the offerings' zones or no AMI for their instance types");
        }

        var spot = attempt.CapacityType == "spot";
        var tags = Ec2Tags.ForInstance(clusterName, attempt.NodeClass, settings.Tags, attempt.NodePool, attempt.NodeClaim).ToList();
        var request = new CreateFleetRequest
        {
            Type = FleetType.Instant,
            ClientToken = ClientToken(attempt),
            Context = settings.Context,
            TargetCapacitySpecification = new TargetCapacitySpecificationRequest
            {
                TotalTargetCapacity = 1,
                DefaultTargetCapacityType = spot ? DefaultTargetCapacityType.Spot : DefaultTargetCapacityType.OnDemand,
            },
            SpotOptions = spot ? new SpotOptionsRequest { AllocationStrategy = SpotAllocationStrategy.PriceCapacityOptimized } : null,
            OnDemandOptions = spot ? null : new OnDemandOptionsRequest { AllocationStrategy = FleetOnDemandAllocationStrategy.LowestPrice },
            LaunchTemplateConfigs =
            [
                new FleetLaunchTemplateConfigRequest
                {
                    LaunchTemplateSpecification = new FleetLaunchTemplateSpecificationRequest { LaunchTemplateName = settings.LaunchTemplateName, Version = "$Latest" },
                    Overrides = [.. offerings.Select((o, i) => new FleetLaunchTemplateOverridesRequest
                    {
                        InstanceType = o.InstanceType,
                        SubnetId = settings.SubnetsByZone[o.Zone],
                        Priority = i,
                    })],
                },
            ],
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = tags },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = tags },
                new TagSpecification { ResourceType = ResourceType.Fleet, Tags = tags },
            ],
        };
        var response = await retry.ExecuteAsync(async token => await ec2.CreateFleetAsync(request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var instanceId = response.Instances?.SelectMany(i => i.InstanceIds ?? []).FirstOrDefault();
        if (instanceId is null)
        {
            var errors = response.Errors ?? [];
            var message = string.Join("; ", errors.Select(e => $"{e.ErrorCode}: {e.ErrorMessage}").Distinct());
            if (spot && errors.Any(e => e.ErrorCode == SpotServiceLinkedRoleMissing))
            {
                // The account has no EC2 Spot service-linked role and this role may not create it: no spot offering
                // can launch, so all of them are unavailable (the launch falls back to on-demand), as in Karpenter.
                var catalogue = await catalog(cancellationToken).ConfigureAwait(false);
                throw new InsufficientCapacityException(
                    [.. catalogue.InstanceTypes.SelectMany(t => t.Offerings.Where(o => o.CapacityType == "spot").Select(o => new OfferingKey(t.Name, o.Zone, "spot")))
                        .Concat(offerings.Select(o => new OfferingKey(o.InstanceType, o.Zone, "spot"))).Distinct()],
                    $"spot is unavailable in this account until the EC2 Spot service-linked role (AWSServiceRoleForEC2Spot) exists: {message}");
            }

            var exhausted = errors
                .Where(e => AwsRetry.CapacityCodes.Contains(e.ErrorCode ?? ""))
                .Select(e => Offering(e.LaunchTemplateAndOverrides?.Overrides, offerings, settings, attempt.CapacityType))
                .Where(o => o is not null)
                .Select(o => o!)
                .Distinct()
                .ToList();
            // Only capacity errors say something about offerings; any other (a template deleted meanwhile, a
            // permission) must not mark every offering unavailable.
            throw exhausted.Count > 0
                ? new InsufficientCapacityException(exhausted, message)
                : new LaunchFailedException(errors.Count > 0 ? message : "CreateFleet launched no instance and reported no error");
        }

        return await GetByIdAsync(instanceId, cancellationToken).ConfigureAwait(false)
            ?? throw new InstanceNotFoundException($"aws:///?/{instanceId}");
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string providerId, CancellationToken cancellationToken)
    {
        var id = InstanceId(providerId);
        try
        {
            await retry.ExecuteAsync(async token => await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] }, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidInstanceID.NotFound")
        {
            throw new InstanceNotFoundException(providerId);
        }
    }

    /// <inheritdoc />
    public async Task<CloudInstance> GetAsync(string providerId, CancellationToken cancellationToken) =>
        await GetByIdAsync(InstanceId(providerId), cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(providerId);

    /// <inheritdoc />
    public async Task<IReadOnlyList<CloudInstance>> ListAsync(CancellationToken cancellationToken) =>
        await DescribeAsync([new Filter($"tag:{Ec2Tags.Cluster(clusterName)}", ["owned"])], cancellationToken).ConfigureAwait(false);

    /// <summary>The fleet client token: the same for every retry of one NodeClaim's tier, at most 64 characters.</summary>
    public static string ClientToken(LaunchAttempt attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{attempt.NodeClaim}|{attempt.CapacityType}"));
        return Convert.ToHexStringLower(hash)[..64];
    }

    private static string InstanceId(string providerId) => providerId[(providerId.LastIndexOf('/') + 1)..];

    private static OfferingKey? Offering(FleetLaunchTemplateOverrides? overrides, List<Core.Scheduling.LaunchOption> offerings, NodeClassLaunchSettings settings, string capacityType)
    {
        if (overrides is null)
        {
            return null;
        }

        var zone = settings.SubnetsByZone.FirstOrDefault(kv => kv.Value == overrides.SubnetId).Key
            ?? offerings.FirstOrDefault(o => o.InstanceType == overrides.InstanceType?.Value)?.Zone;
        return zone is null || overrides.InstanceType is null ? null : new OfferingKey(overrides.InstanceType.Value, zone, capacityType);
    }

    private async Task<CloudInstance?> FindByNodeClaimAsync(string nodeClaim, CancellationToken cancellationToken)
    {
        var found = await DescribeAsync([new Filter($"tag:{Ec2Tags.NodeClaim}", [nodeClaim]), new Filter($"tag:{Ec2Tags.Cluster(clusterName)}", ["owned"])], cancellationToken)
            .ConfigureAwait(false);
        return found.FirstOrDefault(i => i.Running);
    }

    private async Task<CloudInstance?> GetByIdAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync(async token => await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(ToCloudInstance).FirstOrDefault();
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidInstanceID.NotFound")
        {
            return null;
        }
    }

    private async Task<List<CloudInstance>> DescribeAsync(List<Filter> filters, CancellationToken cancellationToken)
    {
        var result = new List<CloudInstance>();
        string? token = null;
        do
        {
            var request = new DescribeInstancesRequest { Filters = filters, NextToken = token };
            var page = await retry.ExecuteAsync(async t => await ec2.DescribeInstancesAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            result.AddRange((page.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(ToCloudInstance));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return result;
    }

    private static CloudInstance ToCloudInstance(Instance instance)
    {
        var tags = (instance.Tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var zone = instance.Placement?.AvailabilityZone ?? "";
        var state = instance.State?.Name?.Value ?? "";
        return new CloudInstance(
            $"aws:///{zone}/{instance.InstanceId}",
            tags.GetValueOrDefault(Ec2Tags.NodeClaim),
            instance.InstanceType?.Value ?? "",
            zone,
            instance.InstanceLifecycle?.Value == "spot" ? "spot" : "on-demand",
            0,
            new DateTimeOffset(DateTime.SpecifyKind(instance.LaunchTime ?? DateTime.UnixEpoch, DateTimeKind.Utc)),
            state is "pending" or "running");
    }
}
