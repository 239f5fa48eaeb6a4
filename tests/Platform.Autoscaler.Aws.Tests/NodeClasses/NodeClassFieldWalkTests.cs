using Amazon.EC2;
using Amazon.EC2.Model;
using BlockDeviceMapping = Platform.Autoscaler.Api.BlockDeviceMapping;
using Amazon.Runtime;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Schema;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.NodeClasses;

/// <summary>
/// Walks every field of the EC2NodeClass spec schema (the OpenAPI schema the CRD is generated from) and checks that
/// setting it either changes what the launcher does (the AWS requests the resolver, template manager and fleet launch
/// send) or is refused by validate naming the field. A field that does neither would be accepted and silently dropped.
/// The few fields that only shape what the planner expects of a node are listed with why, and must change that shape.
/// Every schema field needs a sample here, so a new field fails until it is handled.
/// </summary>
public sealed class NodeClassFieldWalkTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string AmiParameter = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";

    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();

    /// <summary>Fields that change no request, only the node shape the planner computes, with why that is all they do.</summary>
    private static readonly IReadOnlyDictionary<string, string> PlannerOnly = new Dictionary<string, string>
    {
        ["spec.blockDeviceMappings[].rootVolume"] =
            "the AL2023 root device is the AMI's own; the flag says which mapping's size is the node's ephemeral storage, as in Karpenter",
    };

    /// <summary>The moto resources the samples name.</summary>
    private sealed record Network(string Tag, string SubnetA, string Group, string Image, string ImageName, string OtherImage);

    /// <summary>A way of setting a field: <see cref="Context"/> is applied to the baseline first (both sides), then <see cref="Set"/>.</summary>
    private sealed record Sample(string Description, Func<EC2NodeClassSpec, EC2NodeClassSpec> Set, Func<EC2NodeClassSpec, EC2NodeClassSpec>? Context = null);

    private static EC2NodeClassSpec Baseline(Network n) => new()
    {
        Role = "node-role",
        AmiFamily = "AL2023",
        AmiSelectorTerms = [new AmiSelectorTerm { Id = n.Image }],
        SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = Discovery(n.Tag) }],
        SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = Discovery(n.Tag) }],
    };

    private static Dictionary<string, string> Discovery(string tag) => new() { ["karpenter.sh/discovery"] = tag };

    private static Dictionary<string, string> Map(string key, string value) => new() { [key] = value };

    private static EC2NodeClassSpec Kubelet(EC2NodeClassSpec s, Func<KubeletConfiguration, KubeletConfiguration> set) =>
        s with { Kubelet = set(s.Kubelet ?? new KubeletConfiguration()) };

    private static EC2NodeClassSpec Volume(EC2NodeClassSpec s, Func<BlockDevice, BlockDevice> set) =>
        s with { BlockDeviceMappings = [s.BlockDeviceMappings![0] with { Ebs = set(s.BlockDeviceMappings[0].Ebs!) }] };

    private static EC2NodeClassSpec RootMapping(EC2NodeClassSpec s) =>
        s with { BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi"), VolumeType = "gp3" } }] };

    /// <summary>Samples per schema path ([] marks a list's items); each must reach the launcher or the planner, or be refused.</summary>
    private static Dictionary<string, Sample[]> Samples(Network n) => new()
    {
        ["spec.subnetSelectorTerms[].tags"] = [new("other tag", s => s with { SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = Discovery("other") }] })],
        ["spec.subnetSelectorTerms[].id"] = [new("by id", s => s with { SubnetSelectorTerms = [new SubnetSelectorTerm { Id = n.SubnetA }] })],
        ["spec.securityGroupSelectorTerms[].tags"] = [new("other tag", s => s with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = Discovery("other") }] })],
        ["spec.securityGroupSelectorTerms[].id"] = [new("by id", s => s with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = n.Group }] })],
        ["spec.securityGroupSelectorTerms[].name"] = [new("by name", s => s with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Name = $"nodes-{n.Tag}" }] })],
        ["spec.amiSelectorTerms[].alias"] =
        [
            new("al2023", s => s with { AmiFamily = null, AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }] }),
            new("bottlerocket", s => s with { AmiFamily = null, AmiSelectorTerms = [new AmiSelectorTerm { Alias = "bottlerocket@latest" }] }),
            new("al2", s => s with { AmiFamily = null, AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2@latest" }] }),
            new("windows", s => s with { AmiFamily = null, AmiSelectorTerms = [new AmiSelectorTerm { Alias = "windows2022@latest" }] }),
        ],
        ["spec.amiSelectorTerms[].tags"] = [new("by tag", s => s with { AmiSelectorTerms = [new AmiSelectorTerm { Tags = Map("team", "ml") }] })],
        ["spec.amiSelectorTerms[].id"] = [new("other image", s => s with { AmiSelectorTerms = [new AmiSelectorTerm { Id = n.OtherImage }] })],
        ["spec.amiSelectorTerms[].name"] = [new("by name", s => s with { AmiSelectorTerms = [new AmiSelectorTerm { Name = n.ImageName }] })],
        ["spec.amiSelectorTerms[].owner"] =
        [
            new("self", s => s with { AmiSelectorTerms = [new AmiSelectorTerm { Name = n.ImageName, Owner = "self" }] },
                s => s with { AmiSelectorTerms = [new AmiSelectorTerm { Name = n.ImageName }] }),
        ],
        ["spec.amiSelectorTerms[].ssmParameter"] = [new("public parameter", s => s with { AmiSelectorTerms = [new AmiSelectorTerm { SsmParameter = AmiParameter }] })],
        ["spec.amiFamily"] =
        [
            new("Custom", s => s with { AmiFamily = "Custom" }, s => s with { UserData = "#!/bin/bash\necho joined" }),
            new("Bottlerocket", s => s with { AmiFamily = "Bottlerocket" }),
            new("AL2", s => s with { AmiFamily = "AL2" }),
            new("Windows2022", s => s with { AmiFamily = "Windows2022" }),
        ],
        ["spec.userData"] =
        [
            new("shell", s => s with { UserData = "#!/bin/bash\necho hi" }),
            new("NodeConfig", s => s with { UserData = "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec: {}\n" }),
        ],
        ["spec.role"] = [new("other role", s => s with { Role = "other-role" })],
        ["spec.instanceProfile"] = [new("profile", s => s with { Role = null, InstanceProfile = "profile-x" })],
        ["spec.tags"] = [new("team", s => s with { Tags = Map("team", "ml") })],
        ["spec.kubelet.clusterDNS"] = [new("dns", s => Kubelet(s, k => k with { ClusterDNS = ["10.100.0.10"] }))],
        ["spec.kubelet.maxPods"] = [new("50", s => Kubelet(s, k => k with { MaxPods = 50 }))],
        ["spec.kubelet.podsPerCore"] = [new("5", s => Kubelet(s, k => k with { PodsPerCore = 5 }))],
        ["spec.kubelet.systemReserved"] = [new("memory", s => Kubelet(s, k => k with { SystemReserved = Map("memory", "1Gi") }))],
        ["spec.kubelet.kubeReserved"] = [new("cpu", s => Kubelet(s, k => k with { KubeReserved = Map("cpu", "300m") }))],
        ["spec.kubelet.evictionHard"] = [new("memory", s => Kubelet(s, k => k with { EvictionHard = Map("memory.available", "5%") }))],
        ["spec.kubelet.evictionSoft"] =
        [
            // validate pairs each soft threshold with a grace period, so they are set together.
            new("memory", s => Kubelet(s, k => k with { EvictionSoft = Map("memory.available", "10%"), EvictionSoftGracePeriod = Map("memory.available", "1m") })),
        ],
        ["spec.kubelet.evictionSoftGracePeriod"] =
        [
            new("2m", s => Kubelet(s, k => k with { EvictionSoftGracePeriod = Map("memory.available", "2m") }),
                s => Kubelet(s, k => k with { EvictionSoft = Map("memory.available", "10%"), EvictionSoftGracePeriod = Map("memory.available", "1m") })),
        ],
        ["spec.kubelet.evictionMaxPodGracePeriod"] = [new("60", s => Kubelet(s, k => k with { EvictionMaxPodGracePeriod = 60 }))],
        ["spec.kubelet.imageGCHighThresholdPercent"] = [new("90", s => Kubelet(s, k => k with { ImageGCHighThresholdPercent = 90 }))],
        ["spec.kubelet.imageGCLowThresholdPercent"] = [new("70", s => Kubelet(s, k => k with { ImageGCLowThresholdPercent = 70 }))],
        ["spec.kubelet.cpuCFSQuota"] = [new("off", s => Kubelet(s, k => k with { CpuCfsQuota = false }))],
        ["spec.blockDeviceMappings[].deviceName"] = [new("xvdb", s => s with { BlockDeviceMappings = [s.BlockDeviceMappings![0] with { DeviceName = "/dev/xvdb" }] }, RootMapping)],
        ["spec.blockDeviceMappings[].ebs.deleteOnTermination"] = [new("keep", s => Volume(s, e => e with { DeleteOnTermination = false }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.encrypted"] = [new("plain", s => Volume(s, e => e with { Encrypted = false }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.iops"] = [new("4000", s => Volume(s, e => e with { Iops = 4000 }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.kmsKeyID"] = [new("key", s => Volume(s, e => e with { KmsKeyID = "arn:aws:kms:us-east-1:123456789012:key/k1" }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.snapshotID"] = [new("snapshot", s => Volume(s, e => e with { SnapshotID = "snap-0123456789abcdef0" }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.throughput"] = [new("250", s => Volume(s, e => e with { Throughput = 250 }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.volumeInitializationRate"] =
        [
            new("200", s => Volume(s, e => e with { VolumeInitializationRate = 200 }), s => Volume(RootMapping(s), e => e with { SnapshotID = "snap-0123456789abcdef0" })),
        ],
        ["spec.blockDeviceMappings[].ebs.volumeSize"] = [new("100Gi", s => Volume(s, e => e with { VolumeSize = new ResourceQuantity("100Gi") }), RootMapping)],
        ["spec.blockDeviceMappings[].ebs.volumeType"] = [new("gp2", s => Volume(s, e => e with { VolumeType = "gp2" }), RootMapping)],
        ["spec.blockDeviceMappings[].rootVolume"] =
        [
            new("second device", s => s with { BlockDeviceMappings = [s.BlockDeviceMappings![0], s.BlockDeviceMappings[1] with { RootVolume = true }] },
                s => s with
                {
                    BlockDeviceMappings =
                    [
                        new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi") } },
                        new BlockDeviceMapping { DeviceName = "/dev/xvdb", Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("200Gi") } },
                    ],
                }),
        ],
        ["spec.instanceStorePolicy"] = [new("RAID0", s => s with { InstanceStorePolicy = "RAID0" })],
        ["spec.associatePublicIPAddress"] = [new("true", s => s with { AssociatePublicIPAddress = true }), new("false", s => s with { AssociatePublicIPAddress = false })],
        ["spec.detailedMonitoring"] = [new("on", s => s with { DetailedMonitoring = true })],
        ["spec.metadataOptions.httpEndpoint"] = [new("disabled", s => s with { MetadataOptions = new MetadataOptions { HttpEndpoint = "disabled" } })],
        ["spec.metadataOptions.httpProtocolIPv6"] = [new("enabled", s => s with { MetadataOptions = new MetadataOptions { HttpProtocolIPv6 = "enabled" } })],
        ["spec.metadataOptions.httpPutResponseHopLimit"] = [new("2", s => s with { MetadataOptions = new MetadataOptions { HttpPutResponseHopLimit = 2 } })],
        ["spec.metadataOptions.httpTokens"] = [new("optional", s => s with { MetadataOptions = new MetadataOptions { HttpTokens = "optional" } })],
        ["spec.context"] = [new("context", s => s with { Context = "ctx-0123" })],
        // Refused outright: the launcher buys on-demand and spot capacity only, and assigns no IPv4 prefixes.
        ["spec.capacityReservationSelectorTerms[].tags"] = [new("tags", s => s with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { Tags = Map("team", "ml") }] })],
        ["spec.capacityReservationSelectorTerms[].id"] = [new("id", s => s with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { Id = "cr-0123456789abcdef0" }] })],
        ["spec.capacityReservationSelectorTerms[].ownerID"] =
            [new("owner", s => s with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { Tags = Map("team", "ml"), OwnerID = "123456789012" }] })],
        ["spec.capacityReservationSelectorTerms[].instanceMatchCriteria"] =
            [new("open", s => s with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { InstanceMatchCriteria = "open" }] })],
        ["spec.ipPrefixCount"] = [new("2", s => s with { IpPrefixCount = 2 })],
    };

    [Fact]
    public void Samples_CoverEverySchemaFieldOfTheSpec_AndNothingElse()
    {
        var network = new Network("t", "subnet-1", "sg-1", "ami-1", "n", "ami-2");
        var spec = OpenApiSchema.ForKind(typeof(EC2NodeClass)).Properties["spec"];
        var leaves = Leaves("spec", spec).ToList();

        Assert.Contains("spec.kubelet.cpuCFSQuota", leaves); // the walk reaches nested leaves under their wire names
        Assert.Equal(leaves.Order(StringComparer.Ordinal), Samples(network).Keys.Order(StringComparer.Ordinal));
    }

    [MotoFact]
    public async Task EveryFieldValidateAccepts_ReachesTheLauncherOrThePlanner_OrValidateRefusesIt()
    {
        var network = await PrepareAsync();
        var baseline = Baseline(network);
        var observed = new Dictionary<string, (IReadOnlyList<string>, string)>(StringComparer.Ordinal);
        var silent = new List<string>();
        var refused = new List<string>();
        foreach (var (path, samples) in Samples(network))
        {
            foreach (var sample in samples)
            {
                var before = sample.Context?.Invoke(baseline) ?? baseline;
                var after = sample.Set(before);
                Assert.True(Errors(before).Count == 0, $"{path} ({sample.Description}): the sample's starting point is invalid: {string.Join("; ", Errors(before))}");
                var errors = Errors(after);
                if (errors.Count > 0)
                {
                    // A refusal counts only when it names this field or the list or object it is in; any other error
                    // means the sample is wrong.
                    Assert.True(errors.All(e => SchemaPath(e.Path) is var at && at != "spec" && (at.StartsWith(path, StringComparison.Ordinal) || path.StartsWith(at, StringComparison.Ordinal))),
                        $"{path} ({sample.Description}) was refused for another field: {string.Join("; ", errors)}");
                    refused.Add($"{path} ({sample.Description}): {errors[0]}");
                    continue;
                }

                var (launcherBefore, plannerBefore) = await ObserveAsync(network, before, observed);
                var (launcherAfter, plannerAfter) = await ObserveAsync(network, after, observed);
                if (PlannerOnly.ContainsKey(path) ? plannerBefore == plannerAfter : launcherBefore.SequenceEqual(launcherAfter))
                {
                    silent.Add($"{path} ({sample.Description})");
                }
            }
        }

        Assert.True(silent.Count == 0, $"accepted by validate but changing nothing the launcher sends (or, for {string.Join(", ", PlannerOnly.Keys)}, the planned node):\n{string.Join("\n", silent)}");
        // The AMI families other than AL2023 (by alias and by amiFamily), capacity reservations and IPv4 prefixes.
        Assert.Equal(11, refused.Count);
    }

    /// <summary>Leaf paths of a schema: scalars, maps and lists of scalars; lists of objects are walked as "[]".</summary>
    private static IEnumerable<string> Leaves(string path, V1JSONSchemaProps schema)
    {
        if (schema.Type == "array" && schema.Items is V1JSONSchemaProps { Properties.Count: > 0 } items)
        {
            return Leaves(path + "[]", items);
        }

        if (schema.Properties is { Count: > 0 } properties)
        {
            return properties.SelectMany(p => Leaves($"{path}.{p.Key}", p.Value));
        }

        return [path];
    }

    /// <summary>"spec.amiSelectorTerms[0].alias" as the schema names it: "spec.amiSelectorTerms[].alias".</summary>
    private static string SchemaPath(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\[[^\]]*\]", "[]");

    private static IReadOnlyList<Api.Validation.FieldError> Errors(EC2NodeClassSpec spec) =>
        new EC2NodeClass { Metadata = new V1ObjectMeta { Name = "walk" }, Spec = spec }.Validate();

    /// <summary>
    /// What the autoscaler does with a class: the requests the resolver, template manager and fleet launch send (names
    /// and tokens derived from the whole spec left out), and the m5.large shape the planner computes for it.
    /// </summary>
    private async Task<(IReadOnlyList<string> Launcher, string Planner)> ObserveAsync(
        Network network, EC2NodeClassSpec spec, Dictionary<string, (IReadOnlyList<string>, string)> cache)
    {
        var key = k8s.KubernetesJson.Serialize(spec);
        if (cache.TryGetValue(key, out var seen))
        {
            return seen;
        }

        using var proxy = new FaultProxy(moto.Endpoint);
        var requests = new List<string>();
        proxy.OnRequest = r =>
        {
            if (r.Action != "DescribeLaunchTemplates")
            {
                requests.Add($"{r.Action} {Normalize(r.Body)}");
            }

            return Task.CompletedTask;
        };
        var parameters = new Dictionary<string, string>(MotoNodeClass.AliasParameters) { [AmiParameter] = network.Image };
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, parameters);
        // The fleet is answered without capacity: the request is what counts, and no instance is left behind.
        proxy.Faults["CreateFleet"] = _ => (200, """
            <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><fleetId>fleet-0</fleetId><errorSet><item>
            <lifecycle>on-demand</lifecycle><errorCode>InsufficientInstanceCapacity</errorCode><errorMessage>none</errorMessage></item></errorSet><fleetInstanceSet/></CreateFleetResponse>
            """);
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1" });
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        var nodeClass = new EC2NodeClass { Metadata = new V1ObjectMeta { Name = "walk", Generation = 1, Uid = Guid.NewGuid().ToString() }, Spec = spec };
        var resolver = new LaunchSettingsResolver((_, _) => Task.FromResult<EC2NodeClass?>(nodeClass), new Ec2NodeClassResolver(ec2, ssm, "1.33"),
            new LaunchTemplateManager(ec2, new ClusterInfo(network.Tag, "https://api.example", "Q0E=", "10.100.0.0/16")), _ => Task.FromResult(Catalog), new FakeTimeProvider());
        var cloud = new Ec2CloudProvider(ec2, network.Tag, resolver.LaunchSettingsAsync, _ => Task.FromResult(Catalog));
        try
        {
            await cloud.CreateAsync(new LaunchAttempt("walk-claim", "default", "walk", "on-demand", [new LaunchOption("m5.large", "us-east-1a", "on-demand", 0.096)]), CancellationToken.None);
        }
        catch (Exception e) when (e is InsufficientCapacityException or LaunchFailedException or NodeClassNotReadyException)
        {
            // expected: the fleet is refused, or the class matched nothing
        }

        var shape = InstanceTypeResolver.Resolve(Catalog.InstanceTypes.Single(t => t.Name == "m5.large"), spec.Kubelet, InstanceTypeResolver.RootVolumeGiB(spec));
        var result = (requests, $"{shape.Capacity} {shape.Overhead}");
        cache[key] = result;
        return result;
    }

    /// <summary>A query body without what is derived from the whole spec (template names) or random (client tokens).</summary>
    private static string Normalize(string body) =>
        string.Join("&", body.Split('&').Where(p => !p.StartsWith("ClientToken=", StringComparison.Ordinal)
            && !p.Contains("LaunchTemplateName=", StringComparison.Ordinal)));

    private async Task<Network> PrepareAsync()
    {
        var (tag, a, _, group, image) = await MotoNodeClass.PrepareAsync(moto);
        using var ec2 = moto.Ec2();
        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest())).Images!;
        return new Network(tag, a, group, image, images.Single(i => i.ImageId == image).Name, images.First(i => i.ImageId != image).ImageId);
    }
}
