using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Keda;

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
    public void Create_MaxBelowMin_Throws()
    {
        Assert.Throws<ArgumentException>(() => ScaledObjects.Create(Spec with { MinReplicas = 5, MaxReplicas = 3 }));
    }
}
