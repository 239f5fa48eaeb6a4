using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Keda;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Keda;

public sealed class ScaledObjectsTests
{
    private static readonly ScaledObjectSpec Spec = new("model-a-gpu-scaler", "inference", "model-a-serving",
        "avg(DCGM_FI_DEV_GPU_UTIL{pod=~\"model-a-.*\"})", Threshold: 70, ActivationThreshold: 50, MinReplicas: 2, MaxReplicas: 10);

    [Fact]
    public void Create_SeedPattern_PrometheusTriggerOnTheClustersPrometheus()
    {
        var scaled = ScaledObjects.Create(Spec);
        var trigger = scaled.Spec.GetProperty("triggers")[0];

        Assert.Equal("keda.sh/v1alpha1", scaled.ApiVersion);
        Assert.Equal("prometheus", trigger.GetProperty("type").GetString());
        Assert.Equal(HelmCharts.PrometheusAddress, trigger.GetProperty("metadata").GetProperty("serverAddress").GetString());
        Assert.Equal("70", trigger.GetProperty("metadata").GetProperty("threshold").GetString());
        Assert.Equal("model-a-serving", scaled.Spec.GetProperty("scaleTargetRef").GetProperty("name").GetString());
        Assert.Equal(300, scaled.Spec.GetProperty("advanced").GetProperty("horizontalPodAutoscalerConfig").GetProperty("behavior").GetProperty("scaleDown").GetProperty("stabilizationWindowSeconds").GetInt32());
    }

    [Fact]
    public void Create_TriggerMetadata_UsesOnlyNamesThePinnedKedaReads()
    {
        // KEDA's chart and app versions are the same; the record lists prometheusMetadata's names at that tag.
        var file = Path.Combine(Repo.TestsDirectory, "Keda", $"prometheus-trigger-v{ChartValueKeys.Keda.CheckedAgainst}.keys");
        var known = File.ReadLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

        var metadata = ScaledObjects.Create(Spec).Spec.GetProperty("triggers")[0].GetProperty("metadata").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("query", known);
        Assert.All(metadata, name => Assert.True(known.Contains(name), $"KEDA {ChartValueKeys.Keda.CheckedAgainst}'s prometheus scaler reads no trigger metadata '{name}'"));
    }

    [Fact]
    public void Create_MaxBelowMin_Throws()
    {
        Assert.Throws<ArgumentException>(() => ScaledObjects.Create(Spec with { MinReplicas = 5, MaxReplicas = 3 }));
    }
}
