using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Tests.TestKit;
using static Platform.Autoscaler.Api.Tests.TestKit.Objects;

namespace Platform.Autoscaler.Api.Tests.Validation;

public sealed class EC2NodeClassValidationTests
{
    private static readonly Dictionary<string, string> Discovery = new() { ["karpenter.sh/discovery"] = "c" };

    [Fact]
    public void Validate_CompleteNodeClass_NoErrors() => Assert.Empty(Read.Errors(NodeClass()));

    public static TheoryData<string, EC2NodeClass, string, string> Broken => new()
    {
        { "no identity", NodeClass(ClassSpec with { Role = null }), "spec", "must specify exactly one of ['role', 'instanceProfile']" },
        { "both identities", NodeClass(ClassSpec with { InstanceProfile = "p" }), "spec", "must specify exactly one of ['role', 'instanceProfile']" },
        { "no AMI terms", NodeClass(ClassSpec with { AmiSelectorTerms = null }), "spec.amiSelectorTerms", "required" },
        { "empty AMI terms", NodeClass(ClassSpec with { AmiSelectorTerms = [] }), "spec.amiSelectorTerms", "at least 1 items" },
        { "empty AMI term", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm()] }), "spec.amiSelectorTerms[0]", "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']" },
        { "alias with id", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest", Id = "ami-123" }] }), "spec.amiSelectorTerms[0]", "'alias' is mutually exclusive, cannot be set with a combination of other fields" },
        { "alias with another term", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }, new AmiSelectorTerm { Id = "ami-123" }] }), "spec.amiSelectorTerms", "cannot be set with a combination of other amiSelectorTerms" },
        { "id with name", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { Id = "ami-123", Name = "x" }] }), "spec.amiSelectorTerms[0]", "'id' is mutually exclusive" },
        { "unknown alias family", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "ubuntu@latest" }] }), "spec.amiSelectorTerms[0].alias", "family is not supported, must be one of the following: 'al2', 'al2023'" },
        { "windows pinned", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "windows2022@v1" }] }), "spec.amiSelectorTerms[0].alias", "windows families may only specify version 'latest'" },
        { "alias without @", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023" }] }), "spec.amiSelectorTerms[0].alias", "invalid value" },
        { "no alias no family", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Id = "ami-123" }] }), "spec.amiFamily", "must specify amiFamily if amiSelectorTerms does not contain an alias" },
        { "family contradicts alias", NodeClass(ClassSpec with { AmiFamily = "Bottlerocket" }), "spec.amiFamily", "if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias" },
        { "owner alone", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { Owner = "amazon" }] }), "spec.amiSelectorTerms[0]", "expected at least one, got none" },
        { "bad ami id", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { Id = "img-1" }] }), "spec.amiSelectorTerms[0].id", "invalid value" },
        { "ami id with ssm parameter allowed but id with owner not", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { Id = "ami-1", Owner = "self" }] }), "spec.amiSelectorTerms[0]", "'id' is mutually exclusive" },
        { "empty role", NodeClass(ClassSpec with { Role = "" }), "spec.role", "role cannot be empty" },
        { "init rate without snapshot", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi"), VolumeInitializationRate = 200 } }] }), "spec.blockDeviceMappings[0].ebs", "snapshotID must be set when volumeInitializationRate is set" },
        { "no subnet terms", NodeClass(ClassSpec with { SubnetSelectorTerms = null }), "spec.subnetSelectorTerms", "required" },
        { "empty subnet term", NodeClass(ClassSpec with { SubnetSelectorTerms = [new SubnetSelectorTerm()] }), "spec.subnetSelectorTerms[0]", "expected at least one, got none, ['tags', 'id']" },
        { "subnet id with tags", NodeClass(ClassSpec with { SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "subnet-1", Tags = Discovery }] }), "spec.subnetSelectorTerms[0]", "'id' is mutually exclusive" },
        { "subnet empty tag value", NodeClass(ClassSpec with { SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["a"] = "" } }] }), "spec.subnetSelectorTerms[0].tags", "empty tag keys or values aren't supported" },
        { "bad subnet id", NodeClass(ClassSpec with { SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "sn-1" }] }), "spec.subnetSelectorTerms[0].id", "invalid value" },
        { "no security group terms", NodeClass(ClassSpec with { SecurityGroupSelectorTerms = null }), "spec.securityGroupSelectorTerms", "required" },
        { "security group name with tags", NodeClass(ClassSpec with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Name = "n", Tags = Discovery }] }), "spec.securityGroupSelectorTerms[0]", "'name' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term" },
        { "empty security group term", NodeClass(ClassSpec with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm()] }), "spec.securityGroupSelectorTerms[0]", "expected at least one, got none, ['tags', 'id', 'name']" },
        { "restricted tag", NodeClass(ClassSpec with { Tags = new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "x" } }), "spec.tags[karpenter.sh/nodepool]", "tag contains a restricted tag matching karpenter.sh/nodepool" },
        { "restricted cluster tag", NodeClass(ClassSpec with { Tags = new Dictionary<string, string> { ["kubernetes.io/cluster/c"] = "owned" } }), "spec.tags[kubernetes.io/cluster/c]", "tag contains a restricted tag matching kubernetes.io/cluster/" },
        { "two root volumes", NodeClass(ClassSpec with { BlockDeviceMappings = [ClassSpec.BlockDeviceMappings![0], ClassSpec.BlockDeviceMappings[0] with { DeviceName = "/dev/xvdb" }] }), "spec.blockDeviceMappings", "only one blockDeviceMappings with rootVolume" },
        { "volume without size or snapshot", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new BlockDevice { VolumeType = "gp3" } }] }), "spec.blockDeviceMappings[0].ebs", "snapshotID or volumeSize must be defined" },
        { "volume too small", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("100Mi") } }] }), "spec.blockDeviceMappings[0].ebs.volumeSize", "whole Gi, G, Ti or T from 1G up to 64 TB" },
        { "volume too large", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("65T") } }] }), "spec.blockDeviceMappings[0].ebs.volumeSize", "whole Gi, G, Ti or T from 1G up to 64 TB" },
        { "volume size without unit", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("100") } }] }), "spec.blockDeviceMappings[0].ebs.volumeSize", "must be a string" },
        { "capacity reservations", NodeClass(ClassSpec with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { Id = "cr-0123" }] }), "spec.capacityReservationSelectorTerms", "capacityReservationSelectorTerms is not supported by this autoscaler" },
        { "capacity reservation bad id", NodeClass(ClassSpec with { CapacityReservationSelectorTerms = [new CapacityReservationSelectorTerm { Id = "res-1" }] }), "spec.capacityReservationSelectorTerms[0].id", "invalid value" },
        { "ip prefixes", NodeClass(ClassSpec with { IpPrefixCount = 1 }), "spec.ipPrefixCount", "ipPrefixCount is not supported by this autoscaler" },
        { "empty instance profile", NodeClass(ClassSpec with { Role = null, InstanceProfile = "" }), "spec.instanceProfile", "instanceProfile cannot be empty" },
        { "kubelet reserved negative", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { KubeReserved = new Dictionary<string, string> { ["memory"] = "-1Gi" } } }), "spec.kubelet.kubeReserved[memory]", "cannot be a negative resource quantity" },
        { "kubelet grace period", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { EvictionSoft = new Dictionary<string, string> { ["memory.available"] = "5%" }, EvictionSoftGracePeriod = new Dictionary<string, string> { ["memory.available"] = "a minute" } } }), "spec.kubelet.evictionSoftGracePeriod[memory.available]", "must be a duration" },
        { "bad volume type", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi"), VolumeType = "ssd" } }] }), "spec.blockDeviceMappings[0].ebs.volumeType", "unsupported value \"ssd\"" },
        { "throughput on gp2", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi"), VolumeType = "gp2", Throughput = 200 } }] }), "spec.blockDeviceMappings[0].ebs.throughput", "gp3 volumes only" },
        { "iops on gp2", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("20Gi"), VolumeType = "gp2", Iops = 3000 } }] }), "spec.blockDeviceMappings[0].ebs.iops", "io1, io2 and gp3" },
        { "hop limit", NodeClass(ClassSpec with { MetadataOptions = new MetadataOptions { HttpPutResponseHopLimit = 65 } }), "spec.metadataOptions.httpPutResponseHopLimit", "between 1 and 64" },
        { "http tokens", NodeClass(ClassSpec with { MetadataOptions = new MetadataOptions { HttpTokens = "maybe" } }), "spec.metadataOptions.httpTokens", "unsupported value" },
        { "instance store policy", NodeClass(ClassSpec with { InstanceStorePolicy = "RAID1" }), "spec.instanceStorePolicy", "unsupported value \"RAID1\"" },
        { "kubelet reserved key", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { KubeReserved = new Dictionary<string, string> { ["gpu"] = "1" } } }), "spec.kubelet.kubeReserved[gpu]", "unsupported resource" },
        { "kubelet reserved value", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { SystemReserved = new Dictionary<string, string> { ["cpu"] = "lots" } } }), "spec.kubelet.systemReserved[cpu]", "must be a quantity such as" },
        { "kubelet eviction signal", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { EvictionHard = new Dictionary<string, string> { ["disk.available"] = "10%" } } }), "spec.kubelet.evictionHard[disk.available]", "unsupported eviction signal" },
        { "kubelet eviction value", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { EvictionHard = new Dictionary<string, string> { ["memory.available"] = "150%" } } }), "spec.kubelet.evictionHard[memory.available]", "percentage up to 100%" },
        { "soft without grace", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { EvictionSoft = new Dictionary<string, string> { ["memory.available"] = "5%" } } }), "spec.kubelet.evictionSoft[memory.available]", "does not have a matching evictionSoftGracePeriod" },
        { "grace without soft", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { EvictionSoftGracePeriod = new Dictionary<string, string> { ["memory.available"] = "1m" } } }), "spec.kubelet.evictionSoftGracePeriod[memory.available]", "does not have a matching evictionSoft" },
        { "gc thresholds", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { ImageGCHighThresholdPercent = 50, ImageGCLowThresholdPercent = 60 } }), "spec.kubelet.imageGCHighThresholdPercent", "must be greater than imageGCLowThresholdPercent" },
        { "max pods negative", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { MaxPods = -1 } }), "spec.kubelet.maxPods", "must be at least 0" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenNodeClass_ReportsFieldAndReason(string rule, EC2NodeClass nodeClass, string path, string reason)
    {
        var errors = Read.FieldErrors(nodeClass);
        Assert.True(errors.Any(e => e.Path == path && e.Message.Contains(reason, StringComparison.Ordinal)),
            $"{rule}: expected '{path}: ...{reason}...', got:\n{string.Join("\n", errors)}");
    }

    public static TheoryData<string, EC2NodeClass> Fine => new()
    {
        { "instance profile", NodeClass(ClassSpec with { Role = null, InstanceProfile = "KarpenterNodeInstanceProfile" }) },
        { "pinned alias", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@v20240807" }] }) },
        { "bottlerocket alias", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "bottlerocket@latest" }] }) },
        { "ids and names with family", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { Id = "ami-0abc" }, new AmiSelectorTerm { Name = "my-ami-*", Owner = "self" }, new AmiSelectorTerm { Tags = new Dictionary<string, string> { ["team"] = "ml" } }] }) },
        { "ssm parameter", NodeClass(ClassSpec with { AmiFamily = "AL2023", AmiSelectorTerms = [new AmiSelectorTerm { SsmParameter = "/my/ami" }] }) },
        { "custom family with alias", NodeClass(ClassSpec with { AmiFamily = "Custom" }) },
        { "windows 2025", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "windows2025@latest" }] }) },
        { "unpinned-format version", NodeClass(ClassSpec with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "bottlerocket@1.20.3" }] }) },
        { "family matching alias", NodeClass(ClassSpec with { AmiFamily = "AL2023" }) },
        { "subnet ids", NodeClass(ClassSpec with { SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "subnet-0a1" }, new SubnetSelectorTerm { Id = "subnet-0b2" }] }) },
        { "security group by name", NodeClass(ClassSpec with { SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Name = "eks-node" }, new SecurityGroupSelectorTerm { Id = "sg-0a" }] }) },
        { "instance store raid", NodeClass(ClassSpec with { InstanceStorePolicy = "RAID0" }) },
        { "custom tags", NodeClass(ClassSpec with { Tags = new Dictionary<string, string> { ["team"] = "ml", ["cost-center"] = "gpu" } }) },
        { "largest volumes", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", RootVolume = true, Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("64T") } }, new BlockDeviceMapping { DeviceName = "/dev/xvdb", Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("59604Gi") } }, new BlockDeviceMapping { DeviceName = "/dev/xvdc", Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("58Ti") } }] }) },
        { "smallest volume", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", RootVolume = true, Ebs = new BlockDevice { VolumeSize = new ResourceQuantity("1G") } }] }) },
        { "snapshot volume", NodeClass(ClassSpec with { BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvdb", Ebs = new BlockDevice { SnapshotID = "snap-1" } }] }) },
        { "kubelet", NodeClass(ClassSpec with { Kubelet = new KubeletConfiguration { MaxPods = 110, KubeReserved = new Dictionary<string, string> { ["cpu"] = "200m", ["memory"] = "1Gi" }, EvictionHard = new Dictionary<string, string> { ["memory.available"] = "5%", ["nodefs.available"] = "10%" }, EvictionSoft = new Dictionary<string, string> { ["memory.available"] = "500Mi" }, EvictionSoftGracePeriod = new Dictionary<string, string> { ["memory.available"] = "1m30s" }, ImageGCHighThresholdPercent = 85, ImageGCLowThresholdPercent = 80, CpuCfsQuota = true } }) },
    };

    [Theory]
    [MemberData(nameof(Fine))]
    public void Validate_AcceptedVariant_NoErrors(string rule, EC2NodeClass nodeClass)
    {
        var errors = Read.Errors(nodeClass);
        Assert.True(errors.Count == 0, $"{rule}: {string.Join("\n", errors)}");
    }
}
