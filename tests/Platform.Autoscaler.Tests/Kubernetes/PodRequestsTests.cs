using k8s.Models;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// A pod's effective requests, checked against Karpenter's own cases (kubernetes-sigs/karpenter,
/// pkg/utils/resources/suite_test.go, Context "Resource Calculations"), which follow kube-scheduler's.
/// </summary>
public sealed class PodRequestsTests
{
    private static V1ResourceRequirements Resources(string cpu, string memory, string? limitCpu = null, string? limitMemory = null) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(limitCpu ?? cpu), ["memory"] = new(limitMemory ?? memory) },
    };

    [Fact]
    public void ShouldCalculateResourceRequestsWhenThereIsAnInitContainerAfterASidecarContainerThatExceedsContainerResourceRequests()
    {
        var spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "app", Resources = Resources("2", "1Gi") }],
            InitContainers =
            [
                new V1Container { Name = "sidecar", RestartPolicy = "Always", Resources = Resources("4", "2Gi") },
                new V1Container { Name = "init", Resources = Resources("10", "2Gi") },
            ],
        };
        var requests = PodConverter.Requests(spec);
        Assert.Equal(14_000, requests["cpu"]);
        Assert.Equal(4L << 30, requests["memory"]);
    }

    [Fact]
    public void ShouldCalculateResourceRequestsWhenThePodLevelResourcesIsSpecified()
    {
        var spec = new V1PodSpec
        {
            Resources = Resources("2", "2Gi", limitCpu: "4", limitMemory: "4Gi"),
            Containers = [new V1Container { Name = "app", Resources = Resources("1", "1Gi", limitCpu: "3", limitMemory: "3Gi") }],
        };
        var requests = PodConverter.Requests(spec);
        Assert.Equal(2_000, requests["cpu"]);
        Assert.Equal(2L << 30, requests["memory"]);
    }

    // Pod-level resources replace cpu and memory only: an accelerator still comes from the containers.
    [Fact]
    public void Requests_PodLevelResources_ExtendedResourcesStillFromContainers()
    {
        var gpu = Resources("1", "1Gi");
        gpu.Limits["nvidia.com/gpu"] = new ResourceQuantity("1");
        var spec = new V1PodSpec { Resources = Resources("8", "32Gi"), Containers = [new V1Container { Name = "app", Resources = gpu }] };
        var requests = PodConverter.Requests(spec);
        Assert.Equal((8_000, 32L << 30, 1L), (requests["cpu"], requests["memory"], requests["nvidia.com/gpu"]));
    }
}
