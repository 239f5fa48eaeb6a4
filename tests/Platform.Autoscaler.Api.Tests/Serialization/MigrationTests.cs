using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Serialization;

public sealed class MigrationTests
{
    [Fact]
    public void Read_V1Beta1NodePool_RefusedWithEachChangeNamed()
    {
        var yaml = """
            apiVersion: karpenter.sh/v1beta1
            kind: NodePool
            metadata:
              name: gpu
            spec:
              template:
                spec:
                  nodeClassRef:
                    apiVersion: karpenter.k8s.aws/v1beta1
                    kind: EC2NodeClass
                    name: gpu
                  kubelet:
                    maxPods: 110
              disruption:
                consolidationPolicy: WhenUnderutilized
                expireAfter: 720h
            """;
        var errors = Read.Errors(yaml);
        Assert.Contains(errors, e => e.StartsWith("apiVersion: karpenter.sh/v1beta1 is not supported", StringComparison.Ordinal) && e.Contains("karpenter.sh/v1", StringComparison.Ordinal));
        Assert.Contains("spec.disruption.consolidationPolicy: v1beta1's WhenUnderutilized is WhenEmptyOrUnderutilized in v1", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.disruption.expireAfter: moved to spec.template.spec.expireAfter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.template.spec.kubelet: moved to the EC2NodeClass", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.template.spec.nodeClassRef: v1 requires group and kind", StringComparison.Ordinal) && e.Contains("missing group", StringComparison.Ordinal));
        Assert.Empty(Read.Yaml(yaml).NodePools);
    }

    [Fact]
    public void Read_V1Beta1NodeClassWithAl2_SuggestsTheAl2023AliasTheLauncherBoots_NotOneValidateRefuses()
    {
        var yaml = """
            apiVersion: karpenter.k8s.aws/v1beta1
            kind: EC2NodeClass
            metadata:
              name: gpu
            spec:
              amiFamily: AL2
              role: r
            """;
        var errors = Read.Errors(yaml);
        Assert.Contains(errors, e => e.StartsWith("apiVersion: karpenter.k8s.aws/v1beta1 is not supported", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.amiFamily:", StringComparison.Ordinal) && e.Contains("alias: al2023@latest", StringComparison.Ordinal)
            && e.Contains("AL2023 (nodeadm) nodes only", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("al2@latest", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_V1Alpha5Provisioner_Refused() =>
        Assert.Contains(Read.Errors("apiVersion: karpenter.sh/v1alpha5\nkind: Provisioner\nmetadata:\n  name: default\n"),
            e => e.Contains("v1alpha5 Provisioners became NodePools", StringComparison.Ordinal));
}
