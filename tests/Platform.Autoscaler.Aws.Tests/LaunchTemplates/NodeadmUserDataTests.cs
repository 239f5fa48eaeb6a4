using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.LaunchTemplates;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Aws.Tests.LaunchTemplates;

/// <summary>The AL2023 user data against nodeadm's NodeConfig (node.eks.aws/v1alpha1) and Karpenter's merge rules.</summary>
public sealed class NodeadmUserDataTests
{
    private static readonly ClusterInfo Cluster = new("gpu", "https://example.eks.amazonaws.com", "Q0E=", "172.20.0.0/16");

    private static EC2NodeClassSpec Spec(KubeletConfiguration? kubelet = null, string? userData = null, string? storePolicy = null, string? family = null) => new()
    {
        Role = "node-role",
        AmiFamily = family,
        AmiSelectorTerms = family is null ? [new AmiSelectorTerm { Alias = "al2023@latest" }] : [new AmiSelectorTerm { Id = "ami-0abc" }],
        SubnetSelectorTerms = [new SubnetSelectorTerm { Id = "subnet-1" }],
        SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = "sg-1" }],
        Kubelet = kubelet,
        UserData = userData,
        InstanceStorePolicy = storePolicy,
    };

    /// <summary>The generated NodeConfig document, parsed.</summary>
    private static YamlMappingNode NodeConfig(EC2NodeClassSpec spec)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(NodeadmUserData.NodeConfig(Cluster, spec)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void NodeConfig_EveryKubeletField_ReachesTheKubeletConfigUnderItsKubeletName()
    {
        var config = NodeConfig(Spec(new KubeletConfiguration
        {
            MaxPods = 110,
            PodsPerCore = 10,
            ClusterDNS = ["10.100.0.10"],
            KubeReserved = new Dictionary<string, string> { ["cpu"] = "200m" },
            SystemReserved = new Dictionary<string, string> { ["memory"] = "1Gi" },
            EvictionHard = new Dictionary<string, string> { ["memory.available"] = "5%" },
            EvictionSoft = new Dictionary<string, string> { ["nodefs.available"] = "15%" },
            EvictionSoftGracePeriod = new Dictionary<string, string> { ["nodefs.available"] = "1m30s" },
            EvictionMaxPodGracePeriod = 60,
            ImageGCHighThresholdPercent = 85,
            ImageGCLowThresholdPercent = 80,
            CpuCfsQuota = false,
        }));

        var kubelet = At(config, "spec", "kubelet", "config");
        Assert.Equal("110", Scalar(kubelet, "maxPods"));
        Assert.Equal("10", Scalar(kubelet, "podsPerCore"));
        Assert.Equal("10.100.0.10", ((YamlScalarNode)((YamlSequenceNode)At(kubelet, "clusterDNS")).Children[0]).Value);
        Assert.Equal("200m", Scalar(kubelet, "kubeReserved", "cpu"));
        Assert.Equal("1Gi", Scalar(kubelet, "systemReserved", "memory"));
        Assert.Equal("5%", Scalar(kubelet, "evictionHard", "memory.available"));
        Assert.Equal("15%", Scalar(kubelet, "evictionSoft", "nodefs.available"));
        Assert.Equal("1m30s", Scalar(kubelet, "evictionSoftGracePeriod", "nodefs.available"));
        Assert.Equal("60", Scalar(kubelet, "evictionMaxPodGracePeriod"));
        Assert.Equal("85", Scalar(kubelet, "imageGCHighThresholdPercent"));
        Assert.Equal("80", Scalar(kubelet, "imageGCLowThresholdPercent"));
        Assert.Equal("false", Scalar(kubelet, "cpuCFSQuota"));
        Assert.Equal(WellKnownTaints.Unregistered, Scalar(((YamlSequenceNode)At(kubelet, "registerWithTaints")).Children[0], "key"));
        Assert.Equal("gpu", Scalar(config, "spec", "cluster", "name"));
    }

    [Fact]
    public void NodeConfig_InstanceStorePolicyRaid0_StripesTheLocalDisks()
    {
        Assert.Equal("RAID0", Scalar(NodeConfig(Spec(storePolicy: "RAID0")), "spec", "instance", "localStorage", "strategy"));
        Assert.False(((YamlMappingNode)At(NodeConfig(Spec()), "spec")).Children.ContainsKey(new YamlScalarNode("instance")));
    }

    [Fact]
    public void Render_ClassNodeConfig_IsMergedAsANodeConfigPart_NotRunAsAScript()
    {
        var text = NodeadmUserData.Render(Cluster, Spec(userData: "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    flags: [--v=4]\n"));
        var parts = NodeadmUserData.ClassParts("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\n").ToList();
        Assert.Equal("application/node.eks.aws", Assert.Single(parts).ContentType);
        Assert.Equal(2, text.Split("Content-Type: application/node.eks.aws").Length - 1);
        Assert.DoesNotContain("text/x-shellscript", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ClassMimeDocument_KeepsEachPartWithItsType()
    {
        const string mime = """
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="BOUNDARY"

            --BOUNDARY
            Content-Type: text/x-shellscript; charset="us-ascii"

            #!/bin/bash
            echo first
            --BOUNDARY
            Content-Type: application/node.eks.aws

            apiVersion: node.eks.aws/v1alpha1
            kind: NodeConfig
            spec: {}
            --BOUNDARY--
            epilogue
            """;
        var parts = NodeadmUserData.ClassParts(mime).ToList();
        Assert.Equal(["text/x-shellscript; charset=\"us-ascii\"", "application/node.eks.aws"], parts.Select(p => p.ContentType));
        Assert.Contains("echo first", parts[0].Content, StringComparison.Ordinal);
        var text = NodeadmUserData.Render(Cluster, Spec(userData: mime));
        Assert.DoesNotContain("BOUNDARY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("epilogue", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("echo first", StringComparison.Ordinal) > text.IndexOf("kind: NodeConfig", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShellScript_FollowsTheNodeConfig()
    {
        var text = NodeadmUserData.Render(Cluster, Spec(userData: "#!/bin/bash\necho hello"));
        Assert.True(text.IndexOf("kind: NodeConfig", StringComparison.Ordinal) < text.IndexOf("echo hello", StringComparison.Ordinal));
        Assert.Contains("Content-Type: text/x-shellscript", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CustomFamily_IsTheClassUserDataVerbatim()
    {
        Assert.Equal("#!/bin/bash\n/etc/eks/bootstrap.sh gpu", NodeadmUserData.Render(Cluster, Spec(userData: "#!/bin/bash\n/etc/eks/bootstrap.sh gpu", family: "Custom")));
        // Custom with an alias still boots the alias's AL2023 AMI through nodeadm, as in Karpenter.
        Assert.Contains("kind: NodeConfig", NodeadmUserData.Render(Cluster, Spec(userData: "echo", family: "Custom") with { AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }] }), StringComparison.Ordinal);
    }
}
