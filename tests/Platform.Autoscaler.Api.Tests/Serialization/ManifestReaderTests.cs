using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Serialization;

public sealed class ManifestReaderTests
{
    private const string Pool = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: gpu-small
        spec:
          template:
            spec:
              requirements:
                - key: karpenter.k8s.aws/instance-family
                  operator: In
                  values: ["g5"]
              nodeClassRef:
                group: karpenter.k8s.aws
                kind: EC2NodeClass
                name: gpu
        """;

    [Fact]
    public void Read_ValidPool_TypedObjectWithValues()
    {
        var set = Read.Yaml(Pool);
        var pool = Assert.Single(set.NodePools);
        Assert.Empty(set.Errors);
        Assert.Equal("gpu-small", pool.Metadata.Name);
        Assert.Equal(["g5"], pool.Spec!.Template!.Spec!.Requirements![0].Values!);
        Assert.Equal("gpu", pool.Spec.Template.Spec.NodeClassRef!.Name);
    }

    [Fact]
    public void Read_MissingNodeClassRef_ErrorNamesFileObjectPathAndReason()
    {
        var yaml = Pool[..Pool.IndexOf("      nodeClassRef:", StringComparison.Ordinal)];
        var error = Assert.Single(Read.Yaml(yaml, "pools.yaml").Errors);
        Assert.Equal("pools.yaml: NodePool/gpu-small: spec.template.spec.nodeClassRef: required", error.ToString());
    }

    [Fact]
    public void Read_UnknownFields_EachReportedWithPathAndSuggestion()
    {
        var yaml = Pool.Replace("      requirements:", "      requirments:\n        - key: a\n          operator: Exists\n      requirements:", StringComparison.Ordinal)
            + "\n  weigth: 10\n";
        var errors = Read.Errors(yaml);
        Assert.Contains("spec.template.spec.requirments: unknown field; did you mean \"requirements\"?", errors);
        Assert.Contains("spec.weigth: unknown field; did you mean \"weight\"?", errors);
    }

    [Fact]
    public void Read_V1Beta1FieldInV1Pool_ExplainsWhereItMoved()
    {
        var yaml = Pool.Replace("      nodeClassRef:", "      kubelet:\n        maxPods: 110\n      nodeClassRef:", StringComparison.Ordinal);
        Assert.Contains(Read.Errors(yaml), e => e.StartsWith("spec.template.spec.kubelet: unknown field: kubelet moved", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\n  weight: \"10\"", "spec.weight: must be an integer, got a string")]
    [InlineData("\n  weight: 1.5", "spec.weight: must be an integer, got a number")]
    [InlineData("\n  weight: [1]", "spec.weight: must be an integer, got a list")]
    [InlineData("\n  limits: gpu", "spec.limits: must be an object, got a string")]
    [InlineData("\n  limits:\n    cpu: lots", "spec.limits[cpu]: invalid quantity \"lots\"")]
    [InlineData("\n  limits:\n    cpu: true", "spec.limits[cpu]: must be a quantity")]
    [InlineData("\n  disruption:\n    consolidateAfter: 10", "spec.disruption.consolidateAfter: must be a string, got an integer")]
    [InlineData("\n  disruption:\n    consolidateAfter: 1m\n    budgets:\n      - nodes: 10", "spec.disruption.budgets[0].nodes: must be a string, got an integer")]
    public void Read_WrongTypes_ReportedLikeTheApiServer(string append, string expected)
    {
        var errors = Read.Errors(Pool + append);
        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [Fact]
    public void Read_ManyProblems_AllReportedNotJustTheFirst()
    {
        var yaml = Pool.Replace("operator: In", "operator: Within", StringComparison.Ordinal) + "\n  weight: 0\n  extra: 1\n";
        Assert.Equal(3, Read.Errors(yaml).Count);
    }

    [Fact]
    public void Read_NullValues_TreatedAsAbsent()
    {
        var set = Read.Yaml(Pool + "\n  disruption:\n  limits: ~\n");
        Assert.Empty(set.Errors);
        Assert.Null(Assert.Single(set.NodePools).Spec!.Limits);
    }

    [Fact]
    public void Read_MultiDocumentWithOtherKinds_SkipsThemAndKeepsOrder()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            ---
            # just a comment
            ---
            """ + "\n" + Pool;
        var set = Read.Yaml(yaml);
        Assert.Equal("Deployment/web", Assert.Single(set.Skipped).Object);
        Assert.Single(set.NodePools);
        Assert.Empty(set.Errors);
    }

    [Fact]
    public void Read_SyntaxError_NamesLineAndColumn_KeepsEarlierDocuments()
    {
        var yaml = Pool + "\n---\napiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: [broken\n";
        var set = Read.Yaml(yaml, "pools.yaml");
        Assert.Single(set.NodePools);
        var error = Assert.Single(set.Errors);
        Assert.Null(error.Object);
        Assert.Matches(@"^pools\.yaml:2[0-9]:\d+: YAML syntax error: ", error.ToString());
    }

    [Fact]
    public void Read_MissingKind_Reported() =>
        Assert.Contains("kind: required", Read.Errors("apiVersion: karpenter.sh/v1\nmetadata:\n  name: x\n"));

    [Fact]
    public void Read_UnknownKarpenterKind_Rejected() =>
        Assert.Contains(Read.Errors("apiVersion: karpenter.sh/v1\nkind: Provisioner\nmetadata:\n  name: x\n"), e => e.StartsWith("kind: unsupported kind Provisioner", StringComparison.Ordinal));

    [Fact]
    public void Read_NotAnObject_Rejected() =>
        Assert.Contains(Read.Errors("- a\n- b\n"), e => e.Contains("must be an object", StringComparison.Ordinal));

    [Fact]
    public void Read_YamlOnOffBooleans_ReadAsBooleansLikeKubectl()
    {
        var nodeClass = """
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata:
              name: gpu
            spec:
              role: r
              amiSelectorTerms: [{alias: al2023@latest}]
              subnetSelectorTerms: [{id: subnet-1}]
              securityGroupSelectorTerms: [{id: sg-1}]
              detailedMonitoring: yes
              userData: on
            """;
        Assert.Equal(["spec.userData: must be a string, got a boolean (on); quote it: \"on\""], Read.Errors(nodeClass));
    }
}
