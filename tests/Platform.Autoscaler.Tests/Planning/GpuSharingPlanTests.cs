using System.Text.Json;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Tests.Cli;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Planning;

/// <summary>
/// <c>plan</c> and <c>validate</c> over pools that share GPUs (examples/gpu-sharing: a MIG pool under the mixed
/// strategy, one under the single strategy, a time-sliced one, and the device plugin's ConfigMap), checked against the
/// MIG profile tables rather than the code that offers the shared types.
/// </summary>
public sealed class GpuSharingPlanTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, InstanceTypeInfo> Catalog = BundledCatalog.Load().InstanceTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    private static string Example(string file) => Path.Combine(RepositoryRoot.Get(), "examples", "gpu-sharing", file);

    /// <summary>What a node of the type advertises per GPU resource under the pool's layout, from the tables.</summary>
    private static Dictionary<string, long> FromTables(string pool, string type)
    {
        var gpu = Catalog[type].Gpu!;
        var model = GpuModels.Find(gpu.Name, gpu.MemoryMiB)!;
        return pool switch
        {
            "gpu-mig-mixed" => MigPartedConfig.Balanced(model).ToDictionary(p => MigProfile.ResourceNameOf(p.Key), p => (long)p.Value * gpu.Count),
            "gpu-mig-1g10gb" => new() { [WellKnownResources.NvidiaGpu] = (long)model.Profile("1g.10gb")!.MaxInstances * gpu.Count },
            "gpu-time-sliced" => new() { [WellKnownResources.NvidiaGpuShared] = 4L * gpu.Count },
            _ => throw new ArgumentException(pool),
        };
    }

    [Fact]
    public async Task Plan_MigAndTimeSlicedPods_EachOnItsPoolWithinWhatTheTablesSayTheNodeAdvertises()
    {
        var (code, output, error) = await cli.RunAsync("plan", Example("pools.yaml"), Example("workload.yaml"), "--json");

        Assert.True(code == 0, error);
        using var plan = JsonDocument.Parse(output);
        Assert.Empty(plan.RootElement.GetProperty("unplaced").EnumerateArray());
        var claims = plan.RootElement.GetProperty("nodeClaims").EnumerateArray().ToList();
        var expectedPool = new Dictionary<string, string> { ["embedder"] = "gpu-mig-mixed", ["reranker"] = "gpu-mig-mixed", ["llm"] = "gpu-mig-1g10gb", ["notebook"] = "gpu-time-sliced" };
        foreach (var claim in claims)
        {
            var pool = claim.GetProperty("nodePool").GetString()!;
            var type = claim.GetProperty("options")[0].GetProperty("instanceType").GetString()!;
            foreach (var pod in claim.GetProperty("pods").EnumerateArray().Select(p => p.GetString()!))
            {
                Assert.Equal(expectedPool[pod.Split('/')[1].Split('-')[0]], pool);
            }

            var advertised = FromTables(pool, type);
            foreach (var request in claim.GetProperty("requests").EnumerateObject().Where(r => GpuSharing.IsGpuResource(r.Name)))
            {
                Assert.True(request.Value.GetInt64() <= advertised.GetValueOrDefault(request.Name), $"{pool} {type}: {request.Name} {request.Value} > {advertised.GetValueOrDefault(request.Name)}");
            }
        }

        Assert.Equal(12 + 4 + 20 + 6, claims.Sum(c => c.GetProperty("pods").GetArrayLength()));
        // The A100 40 GB's balanced layout has 1g.5gb and 3g.20gb: neither kind of MIG pod can use a p4d.
        Assert.DoesNotContain(claims, c => c.GetProperty("nodePool").GetString() == "gpu-mig-mixed" && c.GetProperty("options")[0].GetProperty("instanceType").GetString() == "p4d.24xlarge");
        // Six notebooks at four replicas a GPU: two single-GPU g5 nodes.
        Assert.Equal(2, claims.Count(c => c.GetProperty("nodePool").GetString() == "gpu-time-sliced"));
    }

    [Fact]
    public async Task Plan_WithoutTheDevicePluginConfigMap_LeavesTheSharingPoolsOutWithTheReason()
    {
        var pools = File.ReadAllText(Example("pools.yaml"));
        var withoutConfigMap = pools[..pools.IndexOf("# The device plugin's config", StringComparison.Ordinal)];

        var (code, _, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", withoutConfigMap), Example("workload.yaml"));

        Assert.Equal(1, code);
        Assert.Contains("warning: NodePool/gpu-time-sliced: spec.template.metadata.labels[nvidia.com/device-plugin.config]: device plugin config a10g-shared-4 is not defined: there is no device plugin ConfigMap (the GPU Operator chart's devicePlugin.config); the pool is left out, as the service would", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MigLayoutOnT4_RefusedNamingTheLabelAndTheTypes()
    {
        var pools = File.ReadAllText(Example("pools.yaml")).Replace("values: [p4d.24xlarge, p5.4xlarge, p5.48xlarge]", "values: [g4dn.xlarge, p5.48xlarge]", StringComparison.Ordinal);

        var (code, _, error) = await cli.RunAsync("validate", cli.Write("pools.yaml", pools));

        Assert.Equal(1, code);
        Assert.Contains("pools.yaml: NodePool/gpu-mig-mixed: spec.template.metadata.labels[nvidia.com/mig.config]: g4dn.xlarge cannot take it: t4 (T4) has no MIG, so layout all-balanced cannot split it; limit the pool to GPUs that take it (karpenter.k8s.aws/instance-gpu-name In [h100])", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Seven1g10gbOnA100_40GB_RefusedAtTheLabel()
    {
        const string mig = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: custom-mig-parted-config, namespace: gpu-operator}
            data:
              config.yaml: |
                version: v1
                mig-configs:
                  all-1g.10gb:
                    - devices: all
                      mig-enabled: true
                      mig-devices:
                        "1g.10gb": 7
            """;

        var (code, _, error) = await cli.RunAsync("validate", Example("pools.yaml"), cli.Write("mig.yaml", mig));

        Assert.Equal(1, code);
        Assert.Contains("NodePool/gpu-mig-1g10gb: spec.template.metadata.labels[nvidia.com/mig.config]: p4d.24xlarge cannot take it: layout all-1g.10gb: a100 (A100-SXM4-40GB) takes at most 4 1g.10gb instance(s), not 7", error, StringComparison.Ordinal);
        // The custom config replaces the operator's defaults, as in the operator: all-balanced is gone.
        Assert.Contains("NodePool/gpu-mig-mixed: spec.template.metadata.labels[nvidia.com/mig.config]: MIG layout all-balanced is not in ConfigMap gpu-operator/custom-mig-parted-config", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenDevicePluginEntry_NamesTheFileConfigMapAndField()
    {
        var pools = File.ReadAllText(Example("pools.yaml")).Replace("replicas: 4", "replicas: four", StringComparison.Ordinal);

        var (code, _, error) = await cli.RunAsync("validate", cli.Write("pools.yaml", pools));

        Assert.Equal(1, code);
        Assert.Contains("pools.yaml: ConfigMap/gpu-sharing-device-plugin: data[a10g-shared-4].sharing.timeSlicing.resources[0].replicas: must be an integer, got a string (\"four\")", error, StringComparison.Ordinal);
    }
}
