using System.Text.Json;
using Platform.Infra.Blueprint.Monitoring;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Monitoring;

public sealed class MonitoringObjectsTests
{
    [Fact]
    public void GpuAlerts_HaveTheSeedsRulesOverThisEnvironmentsGpuPools()
    {
        var rules = Rules(MonitoringObjects.GpuAlerts(NodePoolCatalog.Create(Stacks.Settings("dev"))));

        Assert.Equal(["GPUNodePoolNearLimit", "LowGPUUtilization", "KarpenterProvisioningFailed"], rules.Select(r => r.GetProperty("alert").GetString()));
        var nearLimit = rules[0].GetProperty("expr").GetString()!;
        Assert.Contains("karpenter_nodepool_usage{nodepool=~\"gpu-tier1-g5-spot|gpu-tier2-g4dn-spot|gpu-tier3-g5-ondemand|gpu-training|gpu-inference|gpu-inference-shared\", resource_type=~\"nvidia.com/(gpu|gpu.shared|mig[-_].+)\"", nearLimit, StringComparison.Ordinal);
        Assert.EndsWith("> 0.9\n", nearLimit, StringComparison.Ordinal);
        Assert.Equal("avg_over_time(DCGM_FI_DEV_GPU_UTIL[30m]) < 10\n", rules[1].GetProperty("expr").GetString());
        Assert.Contains("reason=~\"InsufficientCapacity|NoCompatibleOffering|NodeClassNotReady|Liveness\"", rules[2].GetProperty("expr").GetString(), StringComparison.Ordinal);
        Assert.Equal("critical", rules[2].GetProperty("labels").GetProperty("severity").GetString());
    }

    [Fact]
    public void GpuCost_RecordsHourlyCostAndAlertsAtTheEnvironmentsThreshold()
    {
        var rules = Rules(MonitoringObjects.GpuCost(Stacks.Settings("prod")));

        Assert.Equal(["node:aws_ec2_instance_hourly_cost:max", "node:karpenter_nodes_allocatable_nvidia_gpu:max", "gpu:hourly_cost:sum", "gpu:requested_hourly_cost:sum",
                "gpu_instance:compute_slices:max", "node:gpu_instance_compute_slices:sum", "gpu_instance:hourly_cost:max"],
            rules.Take(7).Select(r => r.GetProperty("record").GetString()));
        Assert.Equal("gpu:hourly_cost:sum > 100", rules[7].GetProperty("expr").GetString());
    }

    [Theory]
    [InlineData("nodes")]
    [InlineData("cost")]
    [InlineData("gpu")]
    public void Dashboards_AreGrafanaJsonWithPanels(string name)
    {
        using var json = JsonDocument.Parse(Dashboards.Read(name));

        Assert.StartsWith("gpu-platform-", json.RootElement.GetProperty("uid").GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("panels").GetArrayLength() > 0);
    }

    private static List<JsonElement> Rules(Kubernetes.CustomObject rule) =>
        [.. rule.Spec.GetProperty("groups")[0].GetProperty("rules").EnumerateArray()];
}
