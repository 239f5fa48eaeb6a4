using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Serialization;

/// <summary>
/// Input a user or an attacker could hand to `validate` and `plan`: each gets an error naming the file, the object
/// and the field, and nothing crashes the reader or is read wrongly.
/// </summary>
public sealed class HostileInputTests
{
    private const string Pool = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: gpu
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
          limits:
            nvidia.com/gpu: 32
        """;

    [Fact]
    public void Read_50kLevelsOfNesting_OneErrorWithTheLine_NoStackOverflow()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\ndata: " + new string('[', 50_000) + new string(']', 50_000) + "\n";
        var error = Assert.Single(Read.Yaml(yaml, "deep.yaml").Errors);
        Assert.Equal("deep.yaml:3:", error.ToString()[..12]);
        Assert.Contains($"nests deeper than {DocumentParser.MaxDepth} levels", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingWithinTheLimit_IsRead()
    {
        var depth = DocumentParser.MaxDepth - 5;
        var yaml = "apiVersion: v1\nkind: ConfigMap\ndata: " + new string('[', depth) + new string(']', depth) + "\n";
        var set = Read.Yaml(yaml);
        Assert.Empty(set.Errors);
        Assert.Single(set.Skipped);
    }

    [Fact]
    public void Read_DocumentsBeforeABrokenOne_AreKept()
    {
        var set = Read.Yaml(Pool + "\n---\nkind: [unclosed\n", "two.yaml");
        Assert.Single(set.NodePools);
        Assert.StartsWith("two.yaml:", Assert.Single(set.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KubectlList_ItemsAreReadAsDocuments()
    {
        var items = string.Join("\n", Pool.Split('\n').Select((line, i) => (i == 0 ? "  - " : "    ") + line));
        var set = Read.Yaml($"apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n{items}\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {{name: web}}\n");
        Assert.Empty(set.Errors);
        Assert.Equal("gpu", Assert.Single(set.NodePools).Metadata.Name);
        Assert.Equal("Deployment/web", Assert.Single(set.Skipped).Object);
    }

    [Fact]
    public void Read_ListWhoseItemsAreNotAList_ErrorNamesItems()
    {
        Assert.Contains("items: must be a list of objects", Read.Errors("apiVersion: v1\nkind: List\nitems: {a: b}\n"));
    }

    [Theory]
    [InlineData("  labels:\n    team: [a, b]\n", "metadata.labels[team]: must be a string, got a list")]
    [InlineData("  labels:\n    team: {a: b}\n", "metadata.labels[team]: must be a string, got an object")]
    [InlineData("  annotations:\n    note: [1]\n", "metadata.annotations[note]: must be a string, got a list")]
    [InlineData("  labels:\n    enabled: true\n", "metadata.labels[enabled]: must be a string, got a boolean (true); quote it: \"true\"")]
    [InlineData("  labels:\n    \"a b\": x\n", "metadata.labels[a b]: invalid label key \"a b\"")]
    [InlineData("  labels:\n    team: \"-x\"\n", "metadata.labels[team]: invalid label value \"-x\"")]
    [InlineData("  labls:\n    team: a\n", "metadata.labls: unknown field; did you mean \"labels\"?")]
    [InlineData("  labels: [a]\n", "metadata.labels: must be a map of strings, got a list")]
    public void Read_BadMetadata_ErrorNamesTheField(string metadata, string expected)
    {
        var yaml = Pool.Replace("metadata:\n  name: gpu\n", "metadata:\n  name: gpu\n" + metadata, StringComparison.Ordinal);
        Assert.Contains(Read.Errors(yaml), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NameThatIsNotAString_OneErrorSayingSo()
    {
        var errors = Read.Errors(Pool.Replace("metadata:\n  name: gpu\n", "metadata:\n  name: [gpu]\n", StringComparison.Ordinal));
        Assert.Equal(["metadata.name: must be a string, got a list"], errors);
    }

    [Theory]
    [InlineData("cpu: 1e29", "spec.limits[cpu]: quantity 1e29 is out of range: cpu is counted in millicores, at most 9223372036854775 cores")]
    [InlineData("memory: 1e19", "spec.limits[memory]: quantity 1e19 is out of range: at most 9223372036854775807 bytes")]
    [InlineData("cpu: \"9223372036854776\"", "spec.limits[cpu]: quantity 9223372036854776 is out of range")]
    [InlineData("cpu: -4", "spec.limits[cpu]: ")]
    public void Read_LimitBeyond64BitsOrNegative_ErrorShowsTheValueAsWritten(string limit, string expected)
    {
        var errors = Read.Errors(Pool.Replace("nvidia.com/gpu: 32", limit, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("0.0000000", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_LargestCpuLimitTheAutoscalerCounts_IsRead()
    {
        var set = Read.Yaml(Pool.Replace("nvidia.com/gpu: 32", "cpu: \"9223372036854775\"", StringComparison.Ordinal));
        Assert.Empty(set.Errors);
        Assert.Equal("9223372036854775", Assert.Single(set.NodePools).Spec!.Limits!["cpu"].ToString());
    }

    [Theory]
    [InlineData("nvidia.com/gpu: 32", "nvidia.com/gpu", "32")]
    [InlineData("cpu: 1.5", "cpu", "1.5")]
    [InlineData("memory: 123456789123456789", "memory", "123456789123456789")]
    public void Read_QuantityAsWritten_ReachesTheTypedObjectExactly(string limit, string resource, string written)
    {
        // Quantities travel as the text written, never through a double: 123456789123456789 keeps every digit.
        var set = Read.Yaml(Pool.Replace("nvidia.com/gpu: 32", limit, StringComparison.Ordinal));
        Assert.Empty(set.Errors);
        Assert.Equal(decimal.Parse(written, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(set.NodePools).Spec!.Limits![resource].ToDecimal());
    }

    [Fact]
    public void Read_V1Beta1PoolNeedingNoOtherChange_SaysSoInsteadOfPromisingAList()
    {
        var yaml = Pool.Replace("karpenter.sh/v1", "karpenter.sh/v1beta1", StringComparison.Ordinal);
        var error = Assert.Single(Read.Errors(yaml));
        Assert.EndsWith("no other field of this document needs a change", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_V1Beta1PoolWithChanges_CountsTheChangesItLists()
    {
        var yaml = Pool.Replace("karpenter.sh/v1", "karpenter.sh/v1beta1", StringComparison.Ordinal)
            + "\n  disruption:\n    consolidationPolicy: WhenUnderutilized\n    expireAfter: 720h\n";
        var errors = Read.Errors(yaml);
        Assert.Contains("the 3 other changes it needs follow", errors[0], StringComparison.Ordinal);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Read_TypedRoundTrip_ReadsStringsIntegersAndBooleansAsKubectlWould()
    {
        // weight is an integer; a label value that looks like a number stays the string it was written as.
        var set = Read.Yaml(Pool.Replace("metadata:\n  name: gpu\n", "metadata:\n  name: gpu\n  labels:\n    version: \"1.10\"\n", StringComparison.Ordinal)
            .Replace("  limits:", "  weight: 10\n  limits:", StringComparison.Ordinal));
        Assert.Empty(set.Errors);
        var pool = Assert.Single(set.NodePools);
        Assert.Equal(10, pool.Spec!.Weight);
        Assert.Equal("1.10", pool.Metadata.Labels!["version"]);
    }
}
