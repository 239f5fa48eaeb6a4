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
/// One launch template per (node class spec, AMI, cluster, capacity type), named by a hash of all of them, so a change
/// makes a new one and an unchanged class reuses its template. Every template requires IMDSv2 unless the class says
/// otherwise, encrypts every volume (a 20 GiB gp3 root volume when the class sets none), and is tagged for the cluster
/// and its node class, as are the network interfaces (and, for spot, the spot requests) launched from it: the IAM
/// policy allows those resources only with these tags. A template serves every NodePool of its class, so it carries
/// the class's tag, not a pool's; a spot template differs from an on-demand one because EC2 refuses an on-demand
/// launch whose template tags a spot request.
/// </summary>
public sealed class LaunchTemplateManager(IAmazonEC2 ec2, ClusterInfo cluster, ResiliencePipeline? retry = null)
{
    private readonly ResiliencePipeline retry = retry ?? ResiliencePipeline.Empty;

    /// <summary>
    /// The template's name for a node class, AMI and capacity type: a hash of everything the template holds, the
    /// resolved security groups and instance profile included, so a change of what a tag selector matches makes a new
    /// template.
    /// </summary>
    public string Name(EC2NodeClass nodeClass, EC2NodeClassStatus status, string imageId, string capacityType)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        ArgumentNullException.ThrowIfNull(status);
        var groups = string.Join(",", (status.SecurityGroups ?? []).Select(g => g.Id).Order(StringComparer.Ordinal));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{KubernetesJson.Serialize(nodeClass.Spec)}|{imageId}|{cluster}|{groups}|{status.InstanceProfile}|{capacityType}"));
        return $"karpenter.k8s.aws/{Convert.ToHexStringLower(hash)[..20]}";
    }

    /// <summary>The tags of a node class's templates and of the interfaces and spot requests launched from them.</summary>
    public IReadOnlyList<Tag> Tags(EC2NodeClass nodeClass)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        return Ec2Tags.ForNodeClass(cluster.Name, nodeClass.Metadata.Name, nodeClass.Spec?.Tags);
    }

    /// <summary>Creates the template unless it exists; returns its name.</summary>
    public async Task<string> EnsureAsync(EC2NodeClass nodeClass, EC2NodeClassStatus status, string imageId, string capacityType, CancellationToken cancellationToken)
    {
        var name = Name(nodeClass, status, imageId, capacityType);
        var existing = await retry.ExecuteAsync(async t => await ec2.DescribeLaunchTemplatesAsync(
            new DescribeLaunchTemplatesRequest { Filters = [new Filter("launch-template-name", [name])] }, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (existing.LaunchTemplates is { Count: > 0 })
        {
            return name;
        }

        var spec = nodeClass.Spec!;
        var metadata = spec.MetadataOptions;
        var tags = Tags(nodeClass).ToList();
        var launchTags = new List<LaunchTemplateTagSpecificationRequest> { new() { ResourceType = ResourceType.NetworkInterface, Tags = tags } };
        if (capacityType == WellKnownLabels.CapacityTypes.Spot)
        {
            launchTags.Add(new() { ResourceType = ResourceType.SpotInstancesRequest, Tags = tags });
        }

        var groups = (status.SecurityGroups ?? []).Select(g => g.Id!).ToList();
        var request = new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = name,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.LaunchTemplate, Tags = tags }],
            LaunchTemplateData = new RequestLaunchTemplateData
            {
                ImageId = imageId,
                // A public address is asked for on the primary interface, which then carries the groups.
                SecurityGroupIds = spec.AssociatePublicIPAddress is null ? groups : null,
                NetworkInterfaces = spec.AssociatePublicIPAddress is { } associate
                    ? [new LaunchTemplateInstanceNetworkInterfaceSpecificationRequest { DeviceIndex = 0, AssociatePublicIpAddress = associate, Groups = groups }]
                    : null,
                IamInstanceProfile = status.InstanceProfile is null ? null : new LaunchTemplateIamInstanceProfileSpecificationRequest { Name = status.InstanceProfile },
                UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(NodeadmUserData.Render(cluster, spec))),
                Monitoring = spec.DetailedMonitoring is { } monitoring ? new LaunchTemplatesMonitoringRequest { Enabled = monitoring } : null,
                MetadataOptions = new LaunchTemplateInstanceMetadataOptionsRequest
                {
                    HttpTokens = metadata?.HttpTokens == "optional" ? LaunchTemplateHttpTokensState.Optional : LaunchTemplateHttpTokensState.Required,
                    HttpPutResponseHopLimit = (int)(metadata?.HttpPutResponseHopLimit ?? 1),
                    HttpEndpoint = metadata?.HttpEndpoint == "disabled" ? LaunchTemplateInstanceMetadataEndpointState.Disabled : LaunchTemplateInstanceMetadataEndpointState.Enabled,
                    HttpProtocolIpv6 = metadata?.HttpProtocolIPv6 == "enabled" ? LaunchTemplateInstanceMetadataProtocolIpv6.Enabled : LaunchTemplateInstanceMetadataProtocolIpv6.Disabled,
                },
                BlockDeviceMappings = BlockDevices(spec),
                TagSpecifications = launchTags,
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
                VolumeInitializationRate = (int?)ebs.VolumeInitializationRate,
                // Volumes are encrypted unless the class explicitly says otherwise.
                Encrypted = ebs.Encrypted ?? true,
                DeleteOnTermination = ebs.DeleteOnTermination ?? true,
            },
        })];
    }
}
