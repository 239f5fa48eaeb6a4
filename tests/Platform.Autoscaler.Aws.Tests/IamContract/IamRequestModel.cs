namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// Turns an API call into the authorizations IAM makes for it: which action on which resources, with which request
/// and resource tags. The rules differ per action; each is written beside its source. "SAR" is the Service
/// Authorization Reference, "Actions, resources, and condition keys for Amazon EC2"
/// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), whose "Resource types"
/// column lists what each action is authorized on (empty: only "*"); likewise its pages for Systems Manager
/// (list_awssystemsmanager.html) and SQS (list_amazonsqs.html). A call with no rule here is an error, so a new AWS
/// call cannot go unchecked.
/// </summary>
/// <param name="facts">Tags and content of the resources that exist when the call is made.</param>
/// <param name="partition">aws.</param>
/// <param name="account">The caller's account (moto's is 123456789012).</param>
/// <param name="roleOfInstanceProfile">The role an instance profile holds (the stack names each profile after its role).</param>
public sealed class IamRequestModel(IResourceFacts facts, string partition, string account, Func<string, string> roleOfInstanceProfile)
{
    /// <summary>
    /// EC2 read actions the autoscaler calls. SAR: their "Resource types" column is empty (no resource-level
    /// permissions), so they are authorized on "*" alone; aws:RequestedRegion, a global key, is in every request.
    /// </summary>
    public static readonly IReadOnlySet<string> UnscopedEc2Reads = new HashSet<string>(StringComparer.Ordinal)
    {
        "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
    };

    /// <summary>The authorizations for one call.</summary>
    public async Task<IReadOnlyList<AuthorizationRequest>> AuthorizationsAsync(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (UnscopedEc2Reads.Contains(call.IamAction))
        {
            return [Authorization(call, call.IamAction, "*")];
        }

        return call.IamAction switch
        {
            "ec2:CreateFleet" => await CreateFleetAsync(call).ConfigureAwait(false),
            "ec2:CreateLaunchTemplate" => CreateLaunchTemplate(call),
            "ec2:DeleteLaunchTemplate" => await DeleteLaunchTemplateAsync(call).ConfigureAwait(false),
            "ec2:TerminateInstances" => await TerminateInstancesAsync(call).ConfigureAwait(false),
            "ssm:GetParameter" => [Parameter(call, call.Param("Name"))],
            "ssm:GetParameters" => [.. call.JsonStrings("Names").Select(name => Parameter(call, name))],
            "sqs:GetQueueUrl" => [Authorization(call, call.IamAction, QueueArn(call.Region, call.Param("QueueOwnerAWSAccountId") ?? account, call.Param("QueueName")!))],
            "sqs:ReceiveMessage" or "sqs:DeleteMessage" => [Authorization(call, call.IamAction, QueueArnOfUrl(call.Region, call.Param("QueueUrl")!))],
            _ => throw new NotSupportedException(
                $"no IAM rule for {call.IamAction}: add the resources it is authorized on (from the Service Authorization Reference) to {nameof(IamRequestModel)}"),
        };
    }

    /// <summary>
    /// CreateFleet (type instant). SAR, CreateFleet: resource types fleet*, image, instance, key-pair, launch-template,
    /// network-interface, placement-group, security-group, snapshot, spot-instances-request, subnet, volume; condition
    /// keys aws:RequestTag/${TagKey}, aws:TagKeys, aws:ResourceTag/${TagKey}; dependent action ec2:CreateTags. An
    /// instant fleet launches with the caller's own ec2:RunInstances (SAR, RunInstances: image*, instance*,
    /// network-interface*, security-group*, subnet*, volume*, launch-template, snapshot, spot-instances-request ...;
    /// Karpenter's reference policy grants RunInstances beside CreateFleet on every resource for this reason), so both
    /// actions are authorized on each resource. Resources the launch creates are authorized as ".../type/*" with the tags
    /// they will get: the request's TagSpecification for fleet, instance and volume, else the launch template's
    /// LaunchTemplateData.TagSpecification, the only place network interfaces and spot requests can be tagged (CreateFleet
    /// API reference, TagSpecifications: an instant fleet tags "fleet" and "instance"; Karpenter tags network-interface
    /// and spot-instances-request in its launch templates for its policy's request-tag conditions). Each created resource
    /// with tags is also authorized for ec2:CreateTags with ec2:CreateAction (EC2 User Guide, "Grant permission to tag
    /// resources during creation"). Launching with an instance profile passes its role: iam:PassRole with
    /// iam:PassedToService = ec2.amazonaws.com (EC2 User Guide, "IAM roles for Amazon EC2").
    /// </summary>
    private async Task<List<AuthorizationRequest>> CreateFleetAsync(AwsCall call)
    {
        var result = new List<AuthorizationRequest>();
        var requestTags = RequestTagSpecifications(call.Members("TagSpecification"));
        var spot = call.Param("TargetCapacitySpecification.DefaultTargetCapacityType") == "spot";
        var launched = new List<(string Arn, IReadOnlyDictionary<string, string>? ResourceTags)>();
        var created = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var profiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in call.Members("LaunchTemplateConfigs"))
        {
            var name = config.GetValueOrDefault("LaunchTemplateSpecification.LaunchTemplateName");
            var id = config.GetValueOrDefault("LaunchTemplateSpecification.LaunchTemplateId");
            var template = await facts.LaunchTemplateAsync(name, id).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"CreateFleet names launch template {name ?? id}, which does not exist");
            launched.Add((Ec2Arn(call.Region, $"launch-template/{template.Id}"), template.Tags));
            foreach (var group in template.SecurityGroups)
            {
                launched.Add((Ec2Arn(call.Region, $"security-group/{group}"), await facts.SecurityGroupTagsAsync(group).ConfigureAwait(false)));
            }

            var overrides = AwsCall.Members(config, "Overrides");
            foreach (var subnet in overrides.Select(o => o.GetValueOrDefault("SubnetId")).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                launched.Add((Ec2Arn(call.Region, $"subnet/{subnet}"), await facts.SubnetTagsAsync(subnet).ConfigureAwait(false)));
            }

            var images = overrides.Select(o => o.GetValueOrDefault("ImageId")).OfType<string>().DefaultIfEmpty(template.ImageId).OfType<string>().Distinct(StringComparer.Ordinal);
            foreach (var image in images)
            {
                var imageFacts = await facts.ImageAsync(image).ConfigureAwait(false);
                launched.Add(($"arn:{partition}:ec2:{call.Region}::image/{image}", imageFacts?.Tags));
                foreach (var snapshot in (imageFacts?.SnapshotIds ?? []).Concat(template.SnapshotIds).Distinct(StringComparer.Ordinal))
                {
                    launched.Add(($"arn:{partition}:ec2:{call.Region}::snapshot/{snapshot}", new Dictionary<string, string>()));
                }
            }

            string[] createdTypes = spot ? ["fleet", "instance", "volume", "network-interface", "spot-instances-request"] : ["fleet", "instance", "volume", "network-interface"];
            foreach (var type in createdTypes)
            {
                // The request's tags for a type, over the template's for the same type.
                var tags = new Dictionary<string, string>(template.LaunchTags.GetValueOrDefault(type) ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (key, value) in requestTags.GetValueOrDefault(type) ?? new Dictionary<string, string>())
                {
                    tags[key] = value;
                }

                created[type] = tags;
            }

            if (template.InstanceProfile is { } profile)
            {
                profiles.Add(profile);
            }
        }

        foreach (var action in new[] { "ec2:CreateFleet", "ec2:RunInstances" })
        {
            result.AddRange(launched.Distinct().Select(r => Authorization(call, action, r.Arn, resourceTags: r.ResourceTags ?? new Dictionary<string, string>())));
            result.AddRange(created.Select(c => Authorization(call, action, Ec2Arn(call.Region, $"{c.Key}/*"), requestTags: c.Value)));
        }

        result.AddRange(created.Where(c => c.Value.Count > 0).Select(c =>
            Authorization(call, "ec2:CreateTags", Ec2Arn(call.Region, $"{c.Key}/*"), requestTags: c.Value, extra: ("ec2:CreateAction", "CreateFleet"))));
        result.AddRange(profiles.Select(p => Authorization(call, "iam:PassRole", roleOfInstanceProfile(p), extra: ("iam:PassedToService", "ec2.amazonaws.com"))));
        return result;
    }

    /// <summary>
    /// SAR, CreateLaunchTemplate: resource type launch-template*, condition keys aws:RequestTag/${TagKey} and
    /// aws:TagKeys; dependent action ec2:CreateTags (with ec2:CreateAction = CreateLaunchTemplate for its tags). The
    /// template's LaunchTemplateData.TagSpecification tags nothing yet: those tags are evaluated when a launch uses it.
    /// </summary>
    private List<AuthorizationRequest> CreateLaunchTemplate(AwsCall call)
    {
        var tags = RequestTagSpecifications(call.Members("TagSpecification")).GetValueOrDefault("launch-template") ?? new Dictionary<string, string>();
        var arn = Ec2Arn(call.Region, "launch-template/*");
        List<AuthorizationRequest> result = [Authorization(call, call.IamAction, arn, requestTags: tags)];
        if (tags.Count > 0)
        {
            result.Add(Authorization(call, "ec2:CreateTags", arn, requestTags: tags, extra: ("ec2:CreateAction", "CreateLaunchTemplate")));
        }

        return result;
    }

    /// <summary>SAR, DeleteLaunchTemplate: resource type launch-template*, condition key aws:ResourceTag/${TagKey}.</summary>
    private async Task<List<AuthorizationRequest>> DeleteLaunchTemplateAsync(AwsCall call)
    {
        var name = call.Param("LaunchTemplateName");
        var id = call.Param("LaunchTemplateId");
        var template = await facts.LaunchTemplateAsync(name, id).ConfigureAwait(false);
        return [Authorization(call, call.IamAction, Ec2Arn(call.Region, $"launch-template/{template?.Id ?? id ?? "unknown"}"),
            resourceTags: template?.Tags ?? new Dictionary<string, string>())];
    }

    /// <summary>SAR, TerminateInstances: resource type instance*, condition key aws:ResourceTag/${TagKey}; each instance is authorized.</summary>
    private async Task<List<AuthorizationRequest>> TerminateInstancesAsync(AwsCall call)
    {
        var result = new List<AuthorizationRequest>();
        foreach (var id in call.Values("InstanceId"))
        {
            result.Add(Authorization(call, call.IamAction, Ec2Arn(call.Region, $"instance/{id}"),
                resourceTags: await facts.InstanceTagsAsync(id).ConfigureAwait(false) ?? new Dictionary<string, string>()));
        }

        return result;
    }

    /// <summary>
    /// SAR for Systems Manager, GetParameter and GetParameters (each name authorized): resource type parameter*, ARN arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}.
    /// AWS's public parameters (/aws/service/...) belong to no account in the caller's ARN space, which is why
    /// Karpenter's policy names them arn:...:ssm:region::parameter/aws/service/*; a name given as an ARN is used as is.
    /// </summary>
    private AuthorizationRequest Parameter(AwsCall call, string? name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var arn = name.StartsWith("arn:", StringComparison.Ordinal)
            ? name
            : $"arn:{partition}:ssm:{call.Region}:{(name.StartsWith("/aws/service/", StringComparison.Ordinal) ? "" : account)}:parameter/{name.TrimStart('/')}";
        return Authorization(call, call.IamAction, arn);
    }

    /// <summary>TagSpecification.N members by resource type, each with its tags.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> RequestTagSpecifications(IReadOnlyList<IReadOnlyDictionary<string, string>> specifications) =>
        specifications.ToDictionary(
            s => s.GetValueOrDefault("ResourceType", ""),
            s => (IReadOnlyDictionary<string, string>)AwsCall.Members(s, "Tag").ToDictionary(t => t["Key"], t => t.GetValueOrDefault("Value", ""), StringComparer.Ordinal),
            StringComparer.Ordinal);

    private string Ec2Arn(string region, string resource) => $"arn:{partition}:ec2:{region}:{account}:{resource}";

    private string QueueArn(string region, string owner, string name) => $"arn:{partition}:sqs:{region}:{owner}:{name}";

    /// <summary>SAR for SQS: resource type queue, ARN arn:${Partition}:sqs:${Region}:${Account}:${QueueName}; the URL's path is /account/name.</summary>
    private string QueueArnOfUrl(string region, string url)
    {
        var path = new Uri(url).AbsolutePath.Trim('/').Split('/');
        return QueueArn(region, path[^2], path[^1]);
    }

    private static AuthorizationRequest Authorization(
        AwsCall call, string action, string resource, IReadOnlyDictionary<string, string>? requestTags = null,
        IReadOnlyDictionary<string, string>? resourceTags = null, params (string Key, string Value)[] extra)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["aws:RequestedRegion"] = [call.Region] };
        foreach (var (key, value) in requestTags ?? new Dictionary<string, string>())
        {
            context[$"aws:RequestTag/{key}"] = [value];
        }

        if (requestTags is { Count: > 0 })
        {
            context["aws:TagKeys"] = [.. requestTags.Keys];
        }

        foreach (var (key, value) in resourceTags ?? new Dictionary<string, string>())
        {
            context[$"aws:ResourceTag/{key}"] = [value];
        }

        foreach (var (key, value) in extra)
        {
            context[key] = [value];
        }

        return new AuthorizationRequest(action, resource, context, $"{call.Service} {call.Action}");
    }
}
