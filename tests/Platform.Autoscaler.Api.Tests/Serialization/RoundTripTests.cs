using FsCheck;
using FsCheck.Fluent;
using k8s;
using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Serialization;

public sealed class RoundTripTests
{
    private static bool SurvivesRoundTrip(object value)
    {
        var yaml = KubernetesYaml.Serialize(value);
        var set = Read.Yaml(yaml);
        if (set.Errors.Count > 0)
        {
            throw new InvalidOperationException($"generated object was refused:\n{yaml}\n{string.Join("\n", set.Errors)}");
        }

        var back = Assert.Single(set.Objects).Value;
        // Meaning is preserved when the re-serialized forms agree, in YAML and in JSON.
        return KubernetesYaml.Serialize(back) == yaml && KubernetesJson.Serialize(back) == KubernetesJson.Serialize(value);
    }

    [Fact]
    public void RoundTrip_GeneratedNodePools_PreserveMeaning() =>
        Prop.ForAll(Generators.NodePool.ToArbitrary(), pool => SurvivesRoundTrip(pool)).QuickCheckThrowOnFailure();

    [Fact]
    public void RoundTrip_GeneratedNodeClasses_PreserveMeaning() =>
        Prop.ForAll(Generators.NodeClass.ToArbitrary(), nodeClass => SurvivesRoundTrip(nodeClass)).QuickCheckThrowOnFailure();

    [Fact]
    public void RoundTrip_NodeClaim_PreservesMeaning() => Assert.True(SurvivesRoundTrip(Objects.Claim()));

    [Fact]
    public void RoundTrip_Json_ReadsBackEqualObject()
    {
        var pool = Objects.Pool();
        var json = KubernetesJson.Serialize(pool);
        var back = KubernetesJson.Deserialize<NodePool>(json);
        Assert.Equal(json, KubernetesJson.Serialize(back));
        Assert.Contains("\"nodeClassRef\":{", json, StringComparison.Ordinal);
    }
}
