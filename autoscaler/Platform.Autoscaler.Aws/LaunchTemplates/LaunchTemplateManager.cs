using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using k8s;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Ec2;
using Polly;

namespace Platform.Autoscaler.Aws.LaunchTemplates;

/// <summary>
/// One launch template per (node class spec, AMI, cluster), named by a hash of all three, so a change makes a new
/// one and an unchanged class reuses its template. Every template requires IMDSv2 unless the class says otherwise,
/// encrypts every volume (a 20 GiB gp3 root volume when the class sets none), and is tagged for the cluster so
/// stale ones can be found and deleted.
/// </summary>
public sealed class LaunchTemplateManager(IAmazonEC2 ec2, ClusterInfo cluster, ResiliencePipeline? retry = null)
{
    private readonly ResiliencePipeline retry = retry ?? ResiliencePipeline.Empty;

    /// <summary>
    /// The template's name for a node class and AMI: a hash of everything the template holds, the resolved security
    /// groups and instance profile included, so a change of what a tag selector matches makes a new template.
    /// </summary>
    public string Name(EC2NodeClass nodeClass, EC2NodeClassStatus status, string imageId)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        ArgumentNullException.ThrowIfNull(status);
        var groups = string.Join(",", (status.SecurityGroups ?? []).Select(g => g.Id).Order(StringComparer.Ordinal));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{KubernetesJson.Serialize(nodeClass.Spec)}|{imageId}|{cluster}|{groups}|{status.InstanceProfile}"));
        return $"karpenter.k8s.aws/{Convert.ToHexStringLower(hash)[..20]}";
    }

    /// <summary>Creates the template unless it exists; returns its name.</summary>
    public async Task<string> EnsureAsync(EC2NodeClass nodeClass, EC2NodeClassStatus status, string imageId, CancellationToken cancellationToken)
    {
        var name = Name(nodeClass, status, imageId);
        var existing = await retry.ExecuteAsync(async t => await ec2.DescribeLaunchTemplatesAsync(
            new DescribeLaunchTemplatesRequest { Filters = [new Filter("launch-template-name", [name])] }, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (existing.LaunchTemplates is { Count: > 0 })
        {
            return name;
        }

        var spec = nodeClass.Spec!;
        var metadata = spec.MetadataOptions;
        var tags = new List<Tag> { new(Ec2Tags.Cluster(cluster.Name), "owned"), new(Ec2Tags.NodeClass, nodeClass.Metadata.Name), new(Ec2Tags.EksClusterName, cluster.Name) };
        tags.AddRange((spec.Tags ?? new Dictionary<string, string>()).Select(kv => new Tag(kv.Key, kv.Value)));
        var request = new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.LaunchTemplate, Tags = tags }],
            LaunchTemplateData = new RequestLaunchTemplateData
            {
                ImageId = imageId,
                SecurityGroupIds = [.. (status.SecurityGroups ?? []).Select(g => g.Id!)],
                IamInstanceProfile = status.InstanceProfile is null ? null : new LaunchTemplateIamInstanceProfileSpecificationRequest { Name = status.InstanceProfile },
                UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(NodeadmUserData.Render(cluster, spec))),
                Monitoring = spec.DetailedMonitoring is { } monitoring ? new LaunchTemplatesMonitoringRequest { Enabled = monitoring } : null,
                MetadataOptions = new LaunchTemplateInstanceMetadataOptionsRequest
                {
                    HttpTokens = metadata?.HttpTokens == "optional" ? LaunchTemplateHttpTokensState.Optional : LaunchTemplateHttpTokensState.Required,
                    HttpPutResponseHopLimit = (int)(metadata?.HttpPutResponseHopLimit ?? 1),
                    HttpEndpoint = metadata?.HttpEndpoint == "disabled" ? LaunchTemplateInstanceMetadataEndpointState.Disabled : LaunchTemplateInstanceMetadataEndpointState.Enabled,
                },
                BlockDeviceMappings = BlockDevices(spec),
                TagSpecifications = [new LaunchTemplateTagSpecificationRequest { ResourceType = ResourceType.Instance, Tags = tags }],
            },
        };
        await retry.ExecuteAsync(async t => await ec2.CreateLaunchTemplateAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Deletes this cluster's templates that no current node class and AMI use; returns their names.</summary>
    public async Task<IReadOnlyList<string>> DeleteStaleAsync(IReadOnlySet<string> inUse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var stale = new List<string>();
        string? next = null;
        do
        {
            var request = new DescribeLaunchTemplatesRequest { Filters = [new Filter($"tag:{Ec2Tags.Cluster(cluster.Name)}", ["owned"])], NextToken = next };
            var response = await retry.ExecuteAsync(async t => await ec2.DescribeLaunchTemplatesAsync(request, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            stale.AddRange((response.LaunchTemplates ?? []).Select(t => t.LaunchTemplateName).Where(n => !inUse.Contains(n)));
            next = response.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        foreach (var name in stale)
        {
            await retry.ExecuteAsync(async t => await ec2.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateName = name }, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        return stale;
    }

    private static List<LaunchTemplateBlockDeviceMappingRequest> BlockDevices(EC2NodeClassSpec spec)
    {
        if (spec.BlockDeviceMappings is not { Count: > 0 } mappings)
        {
            return [new() { DeviceName = "/dev/xvda", Ebs = new LaunchTemplateEbsBlockDeviceRequest { VolumeSize = 20, VolumeType = VolumeType.Gp3, Encrypted = true, DeleteOnTermination = true } }];
        }

        return [.. mappings.Select(m => new LaunchTemplateBlockDeviceMappingRequest
        {
            DeviceName = m.DeviceName,
            Ebs = m.Ebs is not { } ebs ? null : new LaunchTemplateEbsBlockDeviceRequest
            {
                VolumeSize = ebs.VolumeSize is { } size ? (int)Math.Ceiling(size.ToDecimal() / (1L << 30)) : null,
                VolumeType = ebs.VolumeType is { } type ? new VolumeType(type) : VolumeType.Gp3,
                Iops = (int?)ebs.Iops,
                Throughput = (int?)ebs.Throughput,
                KmsKeyId = ebs.KmsKeyID,
                SnapshotId = ebs.SnapshotID,
                // Volumes are encrypted unless the class explicitly says otherwise.
                Encrypted = ebs.Encrypted ?? true,
                DeleteOnTermination = ebs.DeleteOnTermination ?? true,
            },
        })];
    }
}
