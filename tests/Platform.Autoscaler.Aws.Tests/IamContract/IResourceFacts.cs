namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>What IAM reads of resources that exist when a request is made: their tags, and a launch template's content.</summary>
public interface IResourceFacts
{
    /// <summary>A launch template by name or id (its latest version's data), or null when there is none.</summary>
    Task<LaunchTemplateFacts?> LaunchTemplateAsync(string? name, string? id);

    /// <summary>A subnet's tags, or null when there is none.</summary>
    Task<IReadOnlyDictionary<string, string>?> SubnetTagsAsync(string id);

    /// <summary>A security group's tags, or null when there is none.</summary>
    Task<IReadOnlyDictionary<string, string>?> SecurityGroupTagsAsync(string id);

    /// <summary>An image's tags and the snapshots behind its volumes, or null when there is none.</summary>
    Task<ImageFacts?> ImageAsync(string id);

    /// <summary>An instance's tags, or null when there is none.</summary>
    Task<IReadOnlyDictionary<string, string>?> InstanceTagsAsync(string id);
}

/// <summary>A launch template as a launch from it uses it.</summary>
/// <param name="Id">lt-...</param>
/// <param name="Tags">The template's own tags.</param>
/// <param name="ImageId">The AMI.</param>
/// <param name="SecurityGroups">Its security groups (top-level or on its network interfaces).</param>
/// <param name="InstanceProfile">The instance profile's name or ARN, if any.</param>
/// <param name="LaunchTags">The tags it puts on what a launch creates, per resource type (instance, volume, network-interface, spot-instances-request).</param>
/// <param name="SnapshotIds">Snapshots its block device mappings restore from.</param>
public sealed record LaunchTemplateFacts(
    string Id, IReadOnlyDictionary<string, string> Tags, string? ImageId, IReadOnlyList<string> SecurityGroups, string? InstanceProfile,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LaunchTags, IReadOnlyList<string> SnapshotIds);

/// <summary>An AMI's tags and the snapshots its block device mappings name.</summary>
public sealed record ImageFacts(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> SnapshotIds);
