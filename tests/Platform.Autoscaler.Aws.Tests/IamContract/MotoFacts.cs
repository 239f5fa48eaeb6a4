using Amazon.EC2;
using Amazon.EC2.Model;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>Looks resources up in moto directly (not through the recording proxy, so the lookups are not recorded).</summary>
public sealed class MotoFacts(IAmazonEC2 ec2) : IResourceFacts
{
    /// <inheritdoc />
    public async Task<LaunchTemplateFacts?> LaunchTemplateAsync(string? name, string? id)
    {
        var found = (await ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest
        {
            Filters = name is not null ? [new Filter("launch-template-name", [name])] : null,
            LaunchTemplateIds = id is not null ? [id] : null,
        })).LaunchTemplates?.FirstOrDefault();
        if (found is null)
        {
            return null;
        }

        var version = (await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest
        {
            LaunchTemplateId = found.LaunchTemplateId,
            Versions = ["$Latest"],
        })).LaunchTemplateVersions![0].LaunchTemplateData;
        var groups = (version.SecurityGroupIds ?? [])
            .Concat((version.NetworkInterfaces ?? []).SelectMany(n => n.Groups ?? []))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var launchTags = (version.TagSpecifications ?? [])
            .ToDictionary(t => t.ResourceType.Value, t => (IReadOnlyDictionary<string, string>)Tags(t.Tags), StringComparer.Ordinal);
        return new LaunchTemplateFacts(
            found.LaunchTemplateId, Tags(found.Tags), version.ImageId, groups, version.IamInstanceProfile?.Name ?? version.IamInstanceProfile?.Arn, launchTags,
            [.. (version.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>()]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> SubnetTagsAsync(string id) =>
        (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("subnet-id", [id])] })).Subnets?.FirstOrDefault() is { } subnet
            ? Tags(subnet.Tags)
            : null;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> SecurityGroupTagsAsync(string id) =>
        (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [id])] })).SecurityGroups?.FirstOrDefault() is { } group
            ? Tags(group.Tags)
            : null;

    /// <inheritdoc />
    public async Task<ImageFacts?> ImageAsync(string id) =>
        (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("image-id", [id])] })).Images?.FirstOrDefault() is { } image
            ? new ImageFacts(Tags(image.Tags), [.. (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>()])
            : null;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> InstanceTagsAsync(string id) =>
        (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("instance-id", [id])] })).Reservations?
            .SelectMany(r => r.Instances ?? []).FirstOrDefault() is { } instance
            ? Tags(instance.Tags)
            : null;

    private static Dictionary<string, string> Tags(IEnumerable<Tag>? tags) =>
        (tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
