using System.Text.Json;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Helm;

public sealed class HelmChartsTests
{
    [Fact]
    public void GpuOperator_EnablesEachComponentPerSettings()
    {
        var prod = HelmCharts.GpuOperator(Stacks.Settings("prod")).Values;
        var dev = HelmCharts.GpuOperator(Stacks.Settings("dev")).Values;

        foreach (var component in new[] { "devicePlugin", "gfd", "dcgmExporter" })
        {
            Assert.True(prod.GetProperty(component).GetProperty("enabled").GetBoolean(), component);
        }

        Assert.True(prod.GetProperty("migManager").GetProperty("enabled").GetBoolean());
        Assert.False(dev.GetProperty("migManager").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public void GpuOperator_DaemonsetsTolerateGpuAndTrainingTaints()
    {
        var tolerations = HelmCharts.GpuOperator(Stacks.Settings("dev")).Values.GetProperty("daemonsets").GetProperty("tolerations")
            .EnumerateArray().Select(t => t.GetProperty("key").GetString()).ToList();

        Assert.Equal(["nvidia.com/gpu", "gpu-platform/training"], tolerations);
    }

    [Fact]
    public void Releases_PinTheConfiguredChartVersions()
    {
        var settings = Stacks.Settings("prod");

        Assert.Equal(settings.Charts.GpuOperator, HelmCharts.GpuOperator(settings).Version);
        Assert.Equal(settings.Charts.Keda, HelmCharts.Keda(settings).Version);
        Assert.Equal(settings.Charts.KubePrometheusStack, HelmCharts.KubePrometheusStack(settings).Version);
    }

    [Fact]
    public void KubePrometheusStack_SelectsEveryServiceMonitorAndRule()
    {
        var spec = HelmCharts.KubePrometheusStack(Stacks.Settings("dev")).Values.GetProperty("prometheus").GetProperty("prometheusSpec");

        Assert.False(spec.GetProperty("serviceMonitorSelectorNilUsesHelmValues").GetBoolean());
        Assert.False(spec.GetProperty("ruleSelectorNilUsesHelmValues").GetBoolean());
        Assert.Equal(JsonValueKind.Object, spec.GetProperty("nodeSelector").ValueKind);
    }
}
