using System.Text.Json;

namespace Platform.Autoscaler.Tests.Cli;

public sealed class PlanCommandTests : IDisposable
{
    private const string Pools = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: gpu-spot
        spec:
          weight: 100
          template:
            spec:
              requirements:
                - key: karpenter.k8s.aws/instance-gpu-name
                  operator: In
                  values: ["a10g", "l4", "t4"]
                - key: karpenter.sh/capacity-type
                  operator: In
                  values: ["spot"]
              taints:
                - key: nvidia.com/gpu
                  effect: NoSchedule
              nodeClassRef:
                group: karpenter.k8s.aws
                kind: EC2NodeClass
                name: gpu
          limits:
            nvidia.com/gpu: 2
        ---
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: gpu-on-demand
        spec:
          weight: 10
          template:
            spec:
              requirements:
                - key: karpenter.k8s.aws/instance-family
                  operator: In
                  values: ["g5"]
                - key: karpenter.sh/capacity-type
                  operator: In
                  values: ["on-demand"]
              taints:
                - key: nvidia.com/gpu
                  effect: NoSchedule
              nodeClassRef:
                group: karpenter.k8s.aws
                kind: EC2NodeClass
                name: gpu
        ---
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata:
          name: gpu
        spec:
          role: node-role
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: c}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: c}}]
        """;

    private const string Inference = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: infer
        spec:
          replicas: 3
          template:
            metadata:
              labels: {app: infer}
            spec:
              tolerations: [{key: nvidia.com/gpu, operator: Exists}]
              containers:
                - name: c
                  image: x
                  resources:
                    requests: {cpu: "2", memory: 8Gi, nvidia.com/gpu: "1"}
        """;

    private readonly CliRunner cli = new();

    [Fact]
    public async Task Plan_SpotLimitReached_FallsToOnDemandTier()
    {
        var (code, output, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pools), cli.Write("app.yaml", Inference), "--json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        using var plan = JsonDocument.Parse(output);
        var claims = plan.RootElement.GetProperty("nodeClaims").EnumerateArray().ToList();
        Assert.Equal(2, claims.Count(c => c.GetProperty("nodePool").GetString() == "gpu-spot"));
        var onDemand = Assert.Single(claims, c => c.GetProperty("nodePool").GetString() == "gpu-on-demand");
        Assert.All(onDemand.GetProperty("options").EnumerateArray(), o => Assert.Equal("on-demand", o.GetProperty("capacityType").GetString()));
        Assert.StartsWith("g5.", onDemand.GetProperty("options")[0].GetProperty("instanceType").GetString(), StringComparison.Ordinal);
        Assert.Empty(plan.RootElement.GetProperty("unplaced").EnumerateArray());
    }

    [Fact]
    public async Task Plan_NodeClassStatusListsSubnetsInOneZone_EveryOptionIsInThatZone()
    {
        var withStatus = Pools + """

            status:
              subnets: [{id: subnet-0b, zone: us-east-1b}]
              conditions:
                - {type: Ready, status: "True", observedGeneration: 1, reason: Ready, message: "", lastTransitionTime: "2026-11-23T10:00:00Z"}
            """;
        var (code, output, _) = await cli.RunAsync("plan", cli.Write("pools.yaml", withStatus), cli.Write("app.yaml", Inference), "--json");
        Assert.Equal(0, code);
        using var plan = JsonDocument.Parse(output);
        var zones = plan.RootElement.GetProperty("nodeClaims").EnumerateArray()
            .SelectMany(c => c.GetProperty("options").EnumerateArray()).Select(o => o.GetProperty("zone").GetString()).Distinct().ToList();
        Assert.Equal(["us-east-1b"], zones);
    }

    [Fact]
    public async Task Plan_NodeClassNotReady_ItsPoolsAreLeftOutWithAWarning()
    {
        var notReady = Pools + """

            status:
              conditions:
                - {type: SubnetsReady, status: "False", observedGeneration: 1, reason: SubnetsNotFound, message: spec.subnetSelectorTerms matched no subnet, lastTransitionTime: "2026-11-23T10:00:00Z"}
                - {type: Ready, status: "False", observedGeneration: 1, reason: UnhealthyDependents, message: "SubnetsReady=False", lastTransitionTime: "2026-11-23T10:00:00Z"}
            """;
        var (code, output, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", notReady), cli.Write("app.yaml", Inference));
        Assert.Equal(1, code);
        Assert.Contains("NodePool/gpu-spot: EC2NodeClass \"gpu\" is not Ready (SubnetsReady: spec.subnetSelectorTerms matched no subnet)", output + error, StringComparison.Ordinal);
        Assert.Contains("unplaced default/infer-", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_PodNoPoolTakes_ExitsOneWithReasonPerPool()
    {
        var cpuPod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop}
            spec:
              containers: [{name: c, image: x, resources: {requests: {cpu: 500m}}}]
            """;
        var (code, output, _) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pools), cli.Write("pod.yaml", cpuPod));
        Assert.Equal(1, code);
        Assert.Contains("unplaced shop/web:", output, StringComparison.Ordinal);
        Assert.Contains("gpu-spot: does not tolerate taint nvidia.com/gpu:NoSchedule", output, StringComparison.Ordinal);
        Assert.Contains("gpu-on-demand: does not tolerate taint nvidia.com/gpu:NoSchedule", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_CustomCatalog_UsesItsTypesAndPrices()
    {
        var catalog = """
            {"region":"test","source":"hand-made","instanceTypes":[
              {"name":"g5.xlarge","architecture":"amd64","vCpus":4,"memoryMiB":16384,"gpu":{"name":"a10g","manufacturer":"nvidia","count":1,"memoryMiB":24576},
               "maxNetworkInterfaces":4,"ipv4PerInterface":15,"offerings":[{"zone":"test-1a","capacityType":"on-demand","price":2.5}]}]}
            """;
        var (code, output, _) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pools), cli.Write("app.yaml", Inference), "--catalog", cli.Write("catalog.json", catalog));
        Assert.Equal(0, code);
        Assert.Contains("g5.xlarge on-demand in test-1a at $2.5000/h", output, StringComparison.Ordinal);
        Assert.Contains("total: 3 NodeClaim(s), $7.5000/hour", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_BadCatalog_ExitsOneNamingTheField()
    {
        var (code, _, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pools), "--catalog", cli.Write("catalog.json", """{"region":"x","source":"y"}"""));
        Assert.Equal(1, code);
        Assert.StartsWith("catalog.json: ", error, StringComparison.Ordinal);
        Assert.Contains("'instanceTypes'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_ExistingNodeWithRoom_NoNewClaims()
    {
        var node = """
            apiVersion: v1
            kind: Node
            metadata:
              name: ip-10-0-0-1
              labels: {karpenter.sh/nodepool: gpu-on-demand, topology.kubernetes.io/zone: us-east-1a, node.kubernetes.io/instance-type: g5.12xlarge}
            spec:
              taints: [{key: nvidia.com/gpu, effect: NoSchedule}]
            status:
              allocatable: {cpu: "47", memory: 180Gi, pods: "234", nvidia.com/gpu: "4"}
            """;
        var (code, output, _) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pools), cli.Write("app.yaml", Inference), cli.Write("node.yaml", node));
        Assert.Equal(0, code);
        Assert.Contains("3 pod(s) fit on existing nodes", output, StringComparison.Ordinal);
        Assert.Contains("total: 0 NodeClaim(s)", output, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
