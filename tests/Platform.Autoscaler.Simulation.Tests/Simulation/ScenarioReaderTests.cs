using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Simulation;

public sealed class ScenarioReaderTests
{
    /// <summary>A CPU NodePool and its EC2NodeClass as a scenario's <c>manifests</c> field.</summary>
    internal const string Pools = """
        manifests: |
          apiVersion: karpenter.sh/v1
          kind: NodePool
          metadata:
            name: cpu
          spec:
            template:
              spec:
                requirements:
                  - key: karpenter.sh/capacity-type
                    operator: In
                    values: ["on-demand"]
                nodeClassRef:
                  group: karpenter.k8s.aws
                  kind: EC2NodeClass
                  name: default
          ---
          apiVersion: karpenter.k8s.aws/v1
          kind: EC2NodeClass
          metadata:
            name: default
          spec:
            role: node
            amiSelectorTerms:
              - alias: al2023@latest
            subnetSelectorTerms:
              - tags: { a: b }
            securityGroupSelectorTerms:
              - tags: { a: b }
        """;

    private const string Web = """
        workloads:
          - kind: Deployment
            name: web
            replicas:
              - { at: 0h, count: 2 }
            template:
              spec:
                containers:
                  - name: web
                    image: nginx
                    resources: { requests: { cpu: 500m, memory: 1Gi } }
        """;

    [Fact]
    public void The_built_in_scenario_reads_clean()
    {
        var scenario = ScenarioKit.BuiltIn();

        Assert.Equal(TimeSpan.FromHours(24), scenario.Duration);
        Assert.Equal(5, scenario.NodePools.Count);
        Assert.Single(scenario.Budgets);
        Assert.Equal(20, scenario.Workloads.Single(w => w.Name == "llm-inference").DesiredAt(TimeSpan.FromHours(9)));
        Assert.Equal(2, scenario.Workloads.Single(w => w.Name == "llm-inference").DesiredAt(TimeSpan.FromHours(21)));
    }

    [Fact]
    public void A_valid_small_scenario_reads()
    {
        var (scenario, errors) = ScenarioReader.Read("s.yaml", $"name: s\nduration: 1h\n{Pools}\n{Web}");

        Assert.Empty(errors);
        Assert.Equal("default", scenario!.Workloads[0].Namespace);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once_with_its_path()
    {
        var text = $$"""
            name: s
            duration: 1h
            durations: 2h
            {{Pools}}
            workloads:
              - kind: StatefulSet
                name: db
                template: { spec: { containers: [ { name: a, image: b } ] } }
              - kind: Job
                name: train
                runFor: soon
                template: { spec: { containers: [] } }
            faults:
              - kind: InsufficientCapacity
                from: 2h
                to: 1h
                capacityType: reserved
            """;

        var (scenario, errors) = ScenarioReader.Read("s.yaml", text);

        Assert.Null(scenario);
        Assert.Contains(errors, e => e.StartsWith("s.yaml: durations: unknown field", StringComparison.Ordinal));
        Assert.Contains("s.yaml: workloads[0].kind: \"StatefulSet\" is not a workload kind; use Deployment or Job", errors);
        Assert.Contains(errors, e => e.StartsWith("s.yaml: workloads[1].runFor: \"soon\" is not a duration", StringComparison.Ordinal));
        Assert.Contains("s.yaml: workloads[1].parallelism: required", errors);
        Assert.Contains("s.yaml: workloads[1].template.spec.containers: required: at least one container", errors);
        Assert.Contains("s.yaml: faults[0].to: must be after from", errors);
        Assert.Contains("s.yaml: faults[0].capacityType: \"reserved\" is not spot or on-demand", errors);
    }

    [Fact]
    public void A_pool_whose_node_class_is_missing_is_refused()
    {
        var pools = Pools[..Pools.IndexOf("---", StringComparison.Ordinal)];

        var (_, errors) = ScenarioReader.Read("s.yaml", $"name: s\nduration: 1h\n{pools}\n{Web}");

        Assert.Contains(errors, e => e.Contains("NodePool/cpu: spec.template.spec.nodeClassRef.name: EC2NodeClass \"default\" is not among the manifests", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        var (_, errors) = ScenarioReader.Read("s.yaml", "name: s\nduration: [1h\n");

        Assert.Single(errors);
        Assert.StartsWith("s.yaml:", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Variants_AreEachTheManifestsPlusTheirOwn_AndEveryMistakeIsNamed()
    {
        var classOnly = Pools[(Pools.IndexOf("---", StringComparison.Ordinal) + 4)..];
        var pool = Pools["manifests: |\n".Length..Pools.IndexOf("---", StringComparison.Ordinal)].Replace("\n  ", "\n      ", StringComparison.Ordinal);
        var text = $$"""
            name: s
            duration: 1h
            manifests: |
            {{classOnly}}
              ---
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: plugin, namespace: gpu-operator}
              data:
                sliced: |
                  version: v1
                  sharing:
                    timeSlicing:
                      resources:
                        - name: nvidia.com/gpu
                          replicas: many
            variants:
              - name: one
                manifests: |
                  {{pool.TrimStart()}}
              - name: one
                manifests: |
                  apiVersion: policy/v1
                  kind: PodDisruptionBudget
                  metadata: {name: web}
                  spec:
                    minAvailable: 1
                    selector:
                      matchLabels:
                        app: web
              - name: Bad_Name
                manifests: |
                  {{pool.TrimStart()}}
            {{Web}}
            """;

        var (_, errors) = ScenarioReader.Read("s.yaml", text);

        Assert.Contains("s.yaml: variants: one is named 2 times", errors);
        Assert.Contains("s.yaml: variants[2].name: \"Bad_Name\" must be lower-case letters, digits and dashes (a report folder is named after it)", errors);
        Assert.Contains("s.yaml: variants[1] (one) with manifests: no NodePool", errors);
        Assert.Contains(errors, e => e.Contains("ConfigMap/plugin: data[sliced].sharing.timeSlicing.resources[0].replicas: must be an integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Variants_Valid_ReadWithTheSharedManifests()
    {
        var classOnly = Pools[(Pools.IndexOf("---", StringComparison.Ordinal) + 4)..];
        var pool = Pools["manifests: |\n".Length..Pools.IndexOf("---", StringComparison.Ordinal)].Replace("\n  ", "\n      ", StringComparison.Ordinal);
        var text = $"name: s\nduration: 1h\nmanifests: |\n{classOnly}\nvariants:\n  - name: a\n    manifests: |\n      {pool.TrimStart()}\n{Web}";

        var (scenario, errors) = ScenarioReader.Read("s.yaml", text);

        Assert.Empty(errors);
        var run = scenario!.With(Assert.Single(scenario.Variants));
        Assert.Equal("s / a", run.Name);
        Assert.Equal(["cpu"], run.NodePools.Select(p => p.Metadata.Name));
        Assert.Equal(["default"], run.NodeClasses.Select(c => c.Metadata.Name));
        Assert.Empty(run.Variants);
    }
}
