using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Tests.Cli;

namespace Platform.Autoscaler.Tests.Planning;

/// <summary>
/// Karpenter's tests of what the solver is handed, translated to <c>plan</c> over manifests and the bundled catalog.
/// Each is named after the Karpenter test it comes from, with its file (kubernetes-sigs/karpenter, pkg/...); the
/// zones test-zone-1..3 are us-east-1a..c.
/// </summary>
public sealed class KarpenterParityPlanTests : IDisposable
{
    private const string Pool = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata: {name: default}
        spec:
          template:
            spec:
              requirements:
                - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
                - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m5, g5, inf2]}
                - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b, us-east-1c]}
              nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
        ---
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: default}
        spec:
          role: node-role
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: c}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: c}}]
        """;

    private readonly CliRunner cli = new();

    private async Task<(int Code, JsonDocument Plan, string Error)> PlanAsync(string workload)
    {
        var (code, output, error) = await cli.RunAsync("plan", cli.Write("pool.yaml", Pool), cli.Write("workload.yaml", workload), "--json");
        return (code, JsonDocument.Parse(output), error);
    }

    private static List<JsonElement> Claims(JsonDocument plan) => [.. plan.RootElement.GetProperty("nodeClaims").EnumerateArray()];

    private static IEnumerable<string?> Targets(JsonDocument plan) =>
        plan.RootElement.GetProperty("placements").EnumerateArray().Select(p => p.GetProperty("target").GetString());

    private static string FirstType(JsonElement claim) => claim.GetProperty("options")[0].GetProperty("instanceType").GetString()!;

    private static IEnumerable<string> Zones(JsonElement claim) => claim.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("zone").GetString()!).Distinct();

    // ---- 1. DaemonSet overhead: limits stand in for missing requests --------------------------------------------------

    // utils/daemonset/suite_test.go, Describe "DaemonSetUtils"
    [Fact]
    public void ShouldMergeResourceLimitsIntoRequestsIfNoRequestsExistsForTheGivenContainer()
    {
        var input = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1000Mi") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("750m") },
        };
        var spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Resources = input }], InitContainers = [new V1Container { Name = "i", Resources = input }] };
        var requests = PodConverter.Requests(spec);
        Assert.Equal(750, requests["cpu"]);
        Assert.Equal(1000L << 20, requests["memory"]);
    }

    // provisioning/suite_test.go, Context "Daemonsets"
    [Fact]
    public async Task ShouldNotScheduleIfResourceRequestsAreNotDefinedAndLimitsRequestsAreTooLarge()
    {
        var (code, plan, _) = await PlanAsync("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: heavy, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: heavy}}
              template:
                metadata: {labels: {app: heavy}}
                spec:
                  containers:
                    - name: c
                      image: x
                      resources: {limits: {cpu: "10000", memory: 10000Gi}, requests: {cpu: "1"}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: app}
            spec:
              containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
            """);
        Assert.Equal(1, code);
        Assert.Empty(Claims(plan));
        var reason = Assert.Single(plan.RootElement.GetProperty("unplaced")[0].GetProperty("reasons").EnumerateArray()).GetString();
        Assert.Contains("no instance type has enough memory", reason, StringComparison.Ordinal);
    }

    // ---- 2. Pods that set only limits: the limit is the request --------------------------------------------------

    private static string LimitsPod(string name, string limits) =>
        $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers: [{{name: c, image: x, resources: {{limits: {{{limits}}}}}}}]\n";

    // scheduling/suite_test.go, Describe "Instance Type Compatibility"
    [Fact]
    public async Task ShouldLaunchPodsWithResourcesThatArentOnAnySingleInstanceTypeOnDifferentInstances()
    {
        var (code, plan, _) = await PlanAsync(LimitsPod("gpu", "nvidia.com/gpu: 1") + "\n---\n" + LimitsPod("neuron", "aws.amazon.com/neuron: 1"));
        Assert.Equal(0, code);
        // Should pack onto a different instance since no instance type has both
        var claims = Claims(plan);
        Assert.Equal(2, claims.Count);
        Assert.Single(claims, c => FirstType(c).StartsWith("g5.", StringComparison.Ordinal));
        Assert.Single(claims, c => FirstType(c).StartsWith("inf2.", StringComparison.Ordinal));
    }

    // scheduling/suite_test.go, Describe "Instance Type Compatibility"
    [Fact]
    public async Task ShouldFailToScheduleAPodWithResourcesRequestsThatArentOnASingleInstanceType()
    {
        var (code, plan, _) = await PlanAsync(LimitsPod("both", "nvidia.com/gpu: 1, aws.amazon.com/neuron: 1"));
        Assert.Equal(1, code);
        Assert.Empty(Claims(plan));
    }

    // ---- 3. Succeeded and Failed pods count in no spread or affinity ---------------------------------------------

    private static string Node(string name, string? zone) => $$"""
        apiVersion: v1
        kind: Node
        metadata:
          name: {{name}}
          labels: {kubernetes.io/hostname: {{name}}{{(zone is null ? "" : $", topology.kubernetes.io/zone: {zone}")}}}
        status:
          allocatable: {cpu: "4", memory: 16Gi, pods: "10"}
        """;

    private static string BoundPod(string name, string node, string? phase = null, string labels = "{test: test}", string ns = "default") => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: {{ns}}, labels: {{labels}}}
        spec:
          nodeName: {{node}}
          containers: [{name: c, image: x}]
        {{(phase is null ? "" : $"status: {{phase: {phase}}}")}}
        """;

    private const string SpreadPods = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: spread}
        spec:
          replicas: 2
          selector: {matchLabels: {test: test}}
          template:
            metadata: {labels: {test: test}}
            spec:
              topologySpreadConstraints:
                - {topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1, labelSelector: {matchLabels: {test: test}}}
              containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]
        """;

    private static string Documents(params string[] documents) => string.Join("\n---\n", documents);

    // scheduling/topology_test.go, Context "Zonal". Karpenter's pending pod without a spread is left out: plan would
    // place it, while Karpenter's test pod is not marked unschedulable and is never provisioned for.
    [Fact]
    public async Task ShouldOnlyCountRunningScheduledPodsWithMatchingLabelsScheduledToNodesWithACorrespondingDomain()
    {
        var (code, plan, _) = await PlanAsync(Documents(
            Node("first", "us-east-1a"), Node("second", "us-east-1b"), Node("third", null),
            BoundPod("no-labels", "first", labels: "{}"), // ignored, missing labels
            BoundPod("no-domain", "third"), // ignored, no domain on node
            BoundPod("wrong-namespace", "first", ns: "wrong"), // ignored, wrong namespace
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: terminating, labels: {test: test}, deletionTimestamp: "2026-11-23T10:00:00Z"}
            spec:
              containers: [{name: c, image: x}]
            """, // ignored, terminating
            BoundPod("failed", "first", phase: "Failed"), // ignored, phase=Failed
            BoundPod("succeeded", "first", phase: "Succeeded"), // ignored, phase=Succeeded
            BoundPod("running-1", "first"), BoundPod("running-2", "first"), BoundPod("running-3", "second"),
            SpreadPods));
        Assert.Equal(0, code);
        // Skew 2, 2, 1: one new pod goes to the empty zone, the other to the node of the zone that had one.
        var claim = Assert.Single(Claims(plan));
        Assert.Equal("us-east-1c", Zones(claim).Single());
        Assert.Equal(1, claim.GetProperty("pods").GetArrayLength());
        Assert.Equal("second", Targets(plan).Single(t => t != claim.GetProperty("name").GetString()));
    }

    // The same rule where it decides the zones: counted, the three finished pods would make us-east-1a the fullest zone.
    [Fact]
    public async Task Plan_FinishedPodsOnANode_CountInNoSpread()
    {
        var (code, plan, _) = await PlanAsync(Documents(
            Node("first", "us-east-1a"), Node("second", "us-east-1b"),
            BoundPod("running-1", "first"), BoundPod("failed-1", "first", phase: "Failed"), BoundPod("failed-2", "first", phase: "Failed"),
            BoundPod("succeeded", "first", phase: "Succeeded"),
            BoundPod("running-2", "second"), BoundPod("running-3", "second"),
            SpreadPods));
        Assert.Equal(0, code);
        var claim = Assert.Single(Claims(plan));
        Assert.Equal("us-east-1c", Zones(claim).Single());
        // One new pod starts the empty zone; the other goes to us-east-1a's node, which holds one running pod.
        Assert.Equal(new[] { claim.GetProperty("name").GetString(), "first" }.Order(StringComparer.Ordinal), Targets(plan).Order(StringComparer.Ordinal));
    }

    // ---- NodePool usage counts capacity --------------------------------------------------------------------------

    // provisioning/suite_test.go, Context "Resource Limits": the existing node's capacity (21 cpu), not its allocatable
    // (19 cpu), is what counts against the pool's limit of 22, so no 2-cpu node fits under it.
    [Fact]
    public async Task ShouldNotScheduleWhenLimitsAreExceeded()
    {
        var limited = Pool.Replace("  template:\n", "  limits: {cpu: \"22\"}\n  template:\n", StringComparison.Ordinal);
        var node = """
            apiVersion: v1
            kind: Node
            metadata:
              name: big
              labels: {karpenter.sh/nodepool: default, topology.kubernetes.io/zone: us-east-1a}
            status:
              capacity: {cpu: "21", memory: 64Gi, pods: "110"}
              allocatable: {cpu: "19", memory: 60Gi, pods: "110"}
            """;
        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: app}
            spec:
              nodeSelector: {topology.kubernetes.io/zone: us-east-1b}
              containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
            """;
        var (code, output, _) = await cli.RunAsync("plan", cli.Write("pool.yaml", limited), cli.Write("node.yaml", node), cli.Write("pod.yaml", pod));
        Assert.Equal(1, code);
        Assert.Contains("default: would exceed limit cpu: limit 22, in use 21", output, StringComparison.Ordinal);
    }

    // ---- 9. namespaceSelector: the labels of Namespace manifests --------------------------------------------------

    [Theory]
    [InlineData("{team: b}", true)]
    [InlineData("{team: a}", false)]
    [InlineData("{}", true)]
    public async Task Plan_NamespaceSelector_MatchesTheLabelsOfTheNamespaceManifests(string selector, bool follows)
    {
        var (code, plan, _) = await PlanAsync(Documents(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {team: a}}",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b, labels: {team: b}}",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: target, namespace: team-b, labels: {security: s2}}
            spec:
              containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
            """,
            $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: follower, namespace: default}
            spec:
              affinity:
                podAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {security: s2}}, namespaceSelector: {matchLabels: {{{selector}}}}}
              containers:
                - name: c
                  image: x
                  resources: {requests: {cpu: 100m}}
            """));
        Assert.Equal(follows ? 0 : 1, code);
        if (follows)
        {
            var claim = Assert.Single(Claims(plan));
            Assert.Equal(["default/follower", "team-b/target"], claim.GetProperty("pods").EnumerateArray().Select(p => p.GetString()).Order());
        }
    }

    // ---- 11. What the solver does not model is a warning or an error, never dropped -----------------------------------

    private static string SpreadWithLabelKeys(string name, string value) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}}
        spec:
          replicas: 2
          selector: {matchLabels: {test: test}}
          template:
            metadata: {labels: {test: test, test-label: {{{value}}}}}
            spec:
              topologySpreadConstraints:
                - {topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, maxSkew: 1, labelSelector: {matchLabels: {test: test}}, matchLabelKeys: [test-label]}
              containers:
                - name: c
                  image: x
                  resources: {requests: {cpu: 100m}}
        """;

    // scheduling/topology_test.go, Context "MatchLabelKeys"
    [Fact]
    public async Task ShouldSupportMatchLabelKeys()
    {
        var (code, plan, _) = await PlanAsync(Documents(SpreadWithLabelKeys("a", "value-a"), SpreadWithLabelKeys("b", "value-b")));
        Assert.Equal(0, code);
        // Expect two nodes to be created, each with a single pod from each "deployment". If matchLabelKeys didn't work as
        // expected, we would see 4 nodes, each with 1 pod.
        Assert.Equal([2, 2], Claims(plan).Select(c => c.GetProperty("pods").GetArrayLength()));
    }

    // scheduling/topology_test.go, Context "MatchLabelKeys"
    [Fact]
    public async Task ShouldIgnoreUnknownLabelsSpecifiedInMatchLabelKeys()
    {
        var spread = SpreadWithLabelKeys("a", "x").Replace(", test-label: x", "", StringComparison.Ordinal).Replace("replicas: 2", "replicas: 4", StringComparison.Ordinal);
        var (code, plan, _) = await PlanAsync(spread);
        Assert.Equal(0, code);
        Assert.Equal([1, 1, 1, 1], Claims(plan).Select(c => c.GetProperty("pods").GetArrayLength()));
    }

    // provisioning/dra_test.go, Context "Enablement gating (N)": a pod with resource claims is not planned.
    [Fact]
    public async Task ShouldRejectDraPodsWithADraErrorWhenIgnoreDraRequestsIsEnabled()
    {
        var (code, plan, _) = await PlanAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: dra}
            spec:
              resourceClaims: [{name: gpu, resourceClaimName: gpu-claim}]
              containers: [{name: c, image: x, resources: {claims: [{name: gpu}]}}]
            """);
        Assert.Equal(1, code);
        Assert.Empty(Claims(plan));
        var unplaced = plan.RootElement.GetProperty("unplaced")[0];
        Assert.StartsWith("spec.resourceClaims: dynamic resource allocation is not supported", unplaced.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_PodUsingFieldsTheSolverDoesNotModel_WarnsNamingEachFieldOncePerWorkload()
    {
        var (code, _, error) = await PlanAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 5
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]
                  topologySpreadConstraints:
                    - {topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 1, labelSelector: {matchLabels: {app: web}}, nodeAffinityPolicy: Ignore, nodeTaintsPolicy: Honor}
                  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
                  containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 8080}], resources: {requests: {cpu: 100m}}}]
            """);
        Assert.Equal(0, code);
        var warnings = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var field in new[]
        {
            "spec.containers[0].ports[0].hostPort", "spec.volumes[0].persistentVolumeClaim",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields",
            "spec.topologySpreadConstraints[0].nodeAffinityPolicy", "spec.topologySpreadConstraints[0].nodeTaintsPolicy",
        })
        {
            var warning = Assert.Single(warnings, w => w.Contains(field + ":", StringComparison.Ordinal));
            Assert.StartsWith("warning: Pod default/web-0, default/web-1, default/web-2 and 2 more: ", warning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Plan_GatedPod_NotPlannedWithAWarning()
    {
        var (code, plan, error) = await PlanAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: gated}
            spec:
              schedulingGates: [{name: example.com/wait}]
              containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]
            """);
        Assert.Equal(0, code);
        Assert.Empty(Claims(plan));
        Assert.Contains("warning: Pod default/gated: spec.schedulingGates: not planned until its scheduling gates are removed", error, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
