using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Platform.Autoscaler.Api;
using Polly;
using Filter = Amazon.EC2.Model.Filter;

namespace Platform.Autoscaler.Aws.NodeClasses;

/// <summary>
/// Resolves an EC2NodeClass's selector terms into what its status reports: subnets (with zones), security groups,
/// and AMIs with the node requirements each serves. Terms are ORed; within a term, tags are ANDed and '*' matches
/// any value. An alias reads the EKS-optimized AMI ids from SSM public parameters (a variant that does not resolve
/// is skipped); an ssmParameter term reads its AMI id from its parameter; a name without an owner searches only this
/// account's and Amazon's images. Each dependency gets a condition: False with the field and reason when its selectors matched
/// nothing, so the node class is not Ready. Transition times and Ready itself are the status controller's.
/// </summary>
public sealed class Ec2NodeClassResolver(IAmazonEC2 ec2, IAmazonSimpleSystemsManagement ssm, string kubernetesVersion, ResiliencePipeline? retry = null)
{
    private readonly ResiliencePipeline retry = retry ?? ResiliencePipeline.Empty;

    /// <summary>The resolved status with a condition per dependency; AWS errors (after retries) are thrown.</summary>
    public async Task<EC2NodeClassStatus> ResolveAsync(EC2NodeClass nodeClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        var spec = nodeClass.Spec ?? new EC2NodeClassSpec();
        var subnets = new Dictionary<string, ResolvedSubnet>(StringComparer.Ordinal);
        foreach (var term in spec.SubnetSelectorTerms ?? [])
        {
            // An id goes in as a filter: EC2 answers an unknown id in SubnetIds with an error, a filter with nothing.
            var request = new DescribeSubnetsRequest { Filters = WithId(TagFilters(term.Tags), "subnet-id", term.Id) };
            var response = await retry.ExecuteAsync(async t => await ec2.DescribeSubnetsAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            foreach (var subnet in response.Subnets ?? [])
            {
                subnets[subnet.SubnetId] = new ResolvedSubnet { Id = subnet.SubnetId, Zone = subnet.AvailabilityZone, ZoneID = subnet.AvailabilityZoneId };
            }
        }

        var groups = new Dictionary<string, ResolvedSecurityGroup>(StringComparer.Ordinal);
        foreach (var term in spec.SecurityGroupSelectorTerms ?? [])
        {
            var filters = TagFilters(term.Tags) ?? [];
            if (term.Name is not null)
            {
                filters.Add(new Filter("group-name", [term.Name]));
            }

            filters = WithId(filters, "group-id", term.Id) ?? [];
            var request = new DescribeSecurityGroupsRequest { Filters = filters.Count == 0 ? null : filters };
            var response = await retry.ExecuteAsync(async t => await ec2.DescribeSecurityGroupsAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            foreach (var group in response.SecurityGroups ?? [])
            {
                groups[group.GroupId] = new ResolvedSecurityGroup { Id = group.GroupId, Name = group.GroupName };
            }
        }

        var amis = new List<ResolvedAmi>();
        var amiErrors = new List<string>();
        foreach (var term in spec.AmiSelectorTerms ?? [])
        {
            if (term.Alias is { } alias)
            {
                var (resolved, error) = await ResolveAliasAsync(alias, cancellationToken).ConfigureAwait(false);
                amis.AddRange(resolved);
                if (error is not null)
                {
                    amiErrors.Add(error);
                }
            }
            else if (term.SsmParameter is { } parameter)
            {
                var (resolved, error) = await ResolveSsmParameterAsync(parameter, cancellationToken).ConfigureAwait(false);
                amis.AddRange(resolved);
                if (error is not null)
                {
                    amiErrors.Add(error);
                }
            }
            else
            {
                amis.AddRange(await DescribeImagesAsync(term, cancellationToken).ConfigureAwait(false));
            }
        }

        return NodeClassConditions.WithDependents(new EC2NodeClassStatus
        {
            Subnets = [.. subnets.Values.OrderBy(s => s.Zone, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal)],
            SecurityGroups = [.. groups.Values.OrderBy(g => g.Id, StringComparer.Ordinal)],
            Amis = amis,
            // A role names the instance profile the stack creates beside it (same name): this autoscaler has no IAM client.
            InstanceProfile = spec.InstanceProfile ?? spec.Role,
        }, amiErrors);
    }

    private async Task<(List<ResolvedAmi> Amis, string? Error)> ResolveAliasAsync(string alias, CancellationToken cancellationToken)
    {
        var (candidates, error) = AmiAlias.Candidates(alias, kubernetesVersion);
        if (error is not null)
        {
            return ([], error);
        }

        // One GetParameter per variant, as Karpenter reads them: the policy grants ssm:GetParameter only.
        var amis = new List<ResolvedAmi>();
        foreach (var candidate in candidates)
        {
            if (await ParameterAsync(candidate.Parameter, cancellationToken).ConfigureAwait(false) is { } imageId)
            {
                amis.Add(new ResolvedAmi { Id = imageId, Name = candidate.Parameter, Requirements = [.. candidate.Requirements] });
            }
        }

        return amis.Count == 0 ? (amis, $"failed to discover any AMIs for alias {alias}") : (amis, null);
    }

    /// <summary>An ssmParameter term: the parameter names an AMI id, which is then described for its architecture.</summary>
    private async Task<(IEnumerable<ResolvedAmi> Amis, string? Error)> ResolveSsmParameterAsync(string parameter, CancellationToken cancellationToken)
    {
        var imageId = await ParameterAsync(parameter, cancellationToken).ConfigureAwait(false);
        if (imageId is null)
        {
            return ([], $"ssm parameter {parameter} was not found");
        }

        if (!imageId.StartsWith("ami-", StringComparison.Ordinal))
        {
            return ([], $"ssm parameter {parameter} holds \"{imageId}\", not an AMI id");
        }

        return (await DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("image-id", [imageId])] }, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>A parameter's value, or null when it does not exist.</summary>
    private async Task<string?> ParameterAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync(async t => await ssm.GetParameterAsync(new GetParameterRequest { Name = name }, t).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            return response.Parameter?.Value;
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    private Task<IEnumerable<ResolvedAmi>> DescribeImagesAsync(AmiSelectorTerm term, CancellationToken cancellationToken)
    {
        var filters = TagFilters(term.Tags) ?? [];
        if (term.Name is not null)
        {
            filters.Add(new Filter("name", [term.Name]));
        }

        filters = WithId(filters, "image-id", term.Id) ?? [];
        // A name alone must not reach public AMIs that happen to share it: without an owner, only this account's and
        // Amazon's images are searched, as Karpenter does.
        var owners = term.Owner is not null ? [term.Owner] : term.Name is not null ? new List<string> { "self", "amazon" } : null;
        if (filters.Count == 0)
        {
            // Validation refuses a term with nothing to select by; never ask EC2 for every image there is.
            throw new InvalidOperationException("an AMI selector term without id, name or tags selects nothing");
        }

        return DescribeImagesAsync(new DescribeImagesRequest { Owners = owners, Filters = filters }, cancellationToken);
    }

    private async Task<IEnumerable<ResolvedAmi>> DescribeImagesAsync(DescribeImagesRequest request, CancellationToken cancellationToken)
    {
        var response = await retry.ExecuteAsync(async t => await ec2.DescribeImagesAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        // Newest first, as Karpenter orders them: the first AMI that serves a type is the one launched.
        var images = (response.Images ?? [])
            .OrderByDescending(i => i.CreationDate ?? "", StringComparer.Ordinal)
            .ThenBy(i => i.ImageId, StringComparer.Ordinal);
        return images.Select(image => new ResolvedAmi
        {
            Id = image.ImageId,
            Name = image.Name,
            Deprecated = image.DeprecationTime is { Length: > 0 } ? true : null,
            Requirements = [new NodeSelectorRequirementWithMinValues
            {
                Key = WellKnownLabels.Arch,
                Operator = Operators.In,
                Values = [image.Architecture?.Value == "arm64" ? "arm64" : "amd64"],
            }],
        }).ToList();
    }

    private static List<Filter>? WithId(List<Filter>? filters, string name, string? id) =>
        id is null ? filters : [.. filters ?? [], new Filter(name, [id])];

    private static List<Filter>? TagFilters(IDictionary<string, string>? tags) =>
        tags is null
            ? null
            : [.. tags.Select(kv => kv.Value == "*" ? new Filter("tag-key", [kv.Key]) : new Filter($"tag:{kv.Key}", [kv.Value]))];
}
