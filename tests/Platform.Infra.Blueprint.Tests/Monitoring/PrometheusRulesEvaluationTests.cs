using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Metrics;
using Platform.Infra.Blueprint.Monitoring;
using MetricNames = Platform.Infra.Blueprint.Monitoring.AutoscalerMetrics;
using ServiceMetrics = Platform.Autoscaler.Metrics.AutoscalerMetrics;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Monitoring;

/// <summary>
/// The PrometheusRules and the dashboards' queries, evaluated by promtool on the series the autoscaler really exports
/// (its metrics registry, filled by the same code as in the service), scraped from two replicas as Prometheus would
/// scrape a leader and a former leader that still holds its last values.
/// </summary>
public sealed class PrometheusRulesEvaluationTests
{
    private const string Tier1 = "gpu-tier1-g5-spot";
    private const string Inference = "gpu-inference";
    private const string Mig = "gpu-inference-mig";
    private const string Shared = "gpu-inference-shared";

    /// <summary>
    /// Six nodes: two g5.xlarge in tier 1 ($0.50 each, one GPU; a has its GPU requested), a g5.12xlarge in the
    /// inference pool ($0.75, four GPUs, two requested), a p5.4xlarge in the MIG pool ($7, its H100 split
    /// all-balanced under the mixed strategy: two 1g.10gb, one 2g.20gb, one 3g.40gb; one 1g.10gb requested), a
    /// g5.xlarge in the time-sliced pool ($0.25, four nvidia.com/gpu.shared replicas, two requested), an m5.large in
    /// the CPU pool ($0.10), and a system node the autoscaler did not launch (no price). Tier 1 uses 8 of its 8 GPUs.
    /// </summary>
    private static async Task<string> ExportAsync()
    {
        var metrics = new ServiceMetrics();
        V1Node Node(string name, string pool, string type, string gpus, Dictionary<string, string>? devices = null) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    [WellKnownLabels.NodePool] = pool,
                    [WellKnownLabels.InstanceType] = type,
                    [WellKnownLabels.CapacityType] = "spot",
                    [WellKnownLabels.Zone] = "us-east-1a",
                },
            },
            Status = new V1NodeStatus
            {
                Allocatable = new Dictionary<string, ResourceQuantity>(
                    (devices ?? new Dictionary<string, string> { [WellKnownResources.NvidiaGpu] = gpus }).Select(d => KeyValuePair.Create(d.Key, new ResourceQuantity(d.Value))))
                {
                    ["cpu"] = new("3920m"),
                    ["memory"] = new("14Gi"),
                },
            },
        };
        V1Pod Pod(string node, string gpus, bool daemon = false, string resource = WellKnownResources.NvidiaGpu) => new()
        {
            Metadata = new V1ObjectMeta { Name = $"{node}-{gpus}-{daemon}", OwnerReferences = daemon ? [new V1OwnerReference { Kind = "DaemonSet", Name = "dcgm" }] : null },
            Spec = new V1PodSpec
            {
                NodeName = node,
                Containers = [new V1Container { Name = "c", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), [resource] = new(gpus) } } }],
            },
            Status = new V1PodStatus { Phase = "Running" },
        };

        V1Node[] nodes =
        [
            Node("a", Tier1, "g5.xlarge", "1"), Node("b", Inference, "g5.12xlarge", "4"), Node("d", Tier1, "g5.xlarge", "1"),
            Node("m", Mig, "p5.4xlarge", "0", new() { ["nvidia.com/mig-1g.10gb"] = "2", ["nvidia.com/mig-2g.20gb"] = "1", ["nvidia.com/mig-3g.40gb"] = "1" }),
            Node("s", Shared, "g5.xlarge", "0", new() { [WellKnownResources.NvidiaGpuShared] = "4" }),
            Node("c", "cpu-system", "m5.large", "0"), Node("system-1", "", "m6i.large", "0"),
        ];
        nodes[^1].Metadata.Labels.Remove(WellKnownLabels.NodePool);
        V1Pod[] pods =
        [
            Pod("a", "1"), Pod("b", "2"), Pod("a", "0", daemon: true), Pod("d", "0", daemon: true),
            Pod("m", "1", resource: "nvidia.com/mig-1g.10gb"), Pod("s", "2", resource: WellKnownResources.NvidiaGpuShared),
        ];
        foreach (var sample in NodeMetricSeries.Build(nodes, pods.ToLookup(p => p.Spec.NodeName), new HashSet<string> { "a", "b", "c", "d", "m", "s" }))
        {
            metrics.Node(sample.Metric).WithLabels([.. sample.Labels]).Set(sample.Value);
        }

        foreach (var (node, pool, type, price) in new[]
                 {
                     ("a", Tier1, "g5.xlarge", 0.5), ("b", Inference, "g5.12xlarge", 0.75), ("d", Tier1, "g5.xlarge", 0.5),
                     ("m", Mig, "p5.4xlarge", 7.0), ("s", Shared, "g5.xlarge", 0.25), ("c", "cpu-system", "m5.large", 0.1),
                 })
        {
            metrics.NodeHourlyPrice.WithLabels(node, pool, type, "spot", "us-east-1a").Set(price);
        }

        metrics.NodePoolUsage.WithLabels(Tier1, WellKnownResources.NvidiaGpu).Set(8);
        metrics.NodePoolLimit.WithLabels(Tier1, WellKnownResources.NvidiaGpu).Set(8);
        metrics.NodePoolUsage.WithLabels(Inference, WellKnownResources.NvidiaGpu).Set(4);
        metrics.NodePoolLimit.WithLabels(Inference, WellKnownResources.NvidiaGpu).Set(50);
        metrics.NodePoolUsage.WithLabels(Shared, WellKnownResources.NvidiaGpuShared).Set(4);
        metrics.NodePoolLimit.WithLabels(Shared, WellKnownResources.NvidiaGpuShared).Set(4);
        return await metrics.ExportAsync(CancellationToken.None);
    }

    /// <summary>Each exported sample as a promtool input series, once per scraped replica, constant over two hours.</summary>
    private static IEnumerable<JsonObject> InputSeries(string exposition)
    {
        foreach (var line in exposition.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var split = line.LastIndexOf(' ');
            var (series, value) = (line[..split], double.Parse(line[(split + 1)..], CultureInfo.InvariantCulture));
            foreach (var instance in new[] { "10.0.1.10:8080", "10.0.2.20:8080" })
            {
                var brace = series.IndexOf('{', StringComparison.Ordinal);
                var labelled = brace < 0 ? $"{series}{{instance=\"{instance}\"}}" : $"{series[..(brace + 1)]}instance=\"{instance}\",{series[(brace + 1)..]}";
                yield return new JsonObject { ["series"] = labelled, ["values"] = $"{value.ToString("0.############", CultureInfo.InvariantCulture)}+0x120" };
            }
        }
    }

    private static JsonObject Expect(string expr, string evalTime, params (string Labels, double Value)[] samples) => new()
    {
        ["expr"] = expr,
        ["eval_time"] = evalTime,
        ["exp_samples"] = new JsonArray([.. samples.Select(s => (JsonNode)new JsonObject { ["labels"] = s.Labels, ["value"] = s.Value })]),
    };

    private static string DashboardExpr(string dashboard, string title)
    {
        using var json = JsonDocument.Parse(Dashboards.Read(dashboard));
        return json.RootElement.GetProperty("panels").EnumerateArray().First(p => p.GetProperty("title").GetString() == title)
            .GetProperty("targets")[0].GetProperty("expr").GetString()!;
    }

    private static string Folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"promtool-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [PromtoolFact]
    public async Task Rules_OnTheAutoscalersExportedSeries_RecordTheGpuCostAndFireTheAlerts()
    {
        var settings = Stacks.Settings("dev");
        settings = settings with { Budgets = settings.Budgets with { HourlyGpuCostAlertUsd = 1 } };
        var blueprint = StackBlueprint.Create(settings);
        var folder = Folder();
        try
        {
            var files = new JsonArray();
            foreach (var rule in blueprint.PrometheusRules)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"{rule.Name}.json"), rule.Spec.GetRawText());
                files.Add((JsonNode)$"{rule.Name}.json");
            }

            var input = new JsonArray([.. InputSeries(await ExportAsync())]);
            // A GPU pool's NodeClaim that never registered (Liveness) at 20m; a CPU pool's at the same time, and a GPU
            // pool's emptiness disruption, which are no launch failure.
            foreach (var (pool, reason) in new[] { (Tier1, "Liveness"), ("cpu-system", "Liveness"), (Tier1, "Empty") })
            {
                input.Add((JsonNode)new JsonObject { ["series"] = $"karpenter_nodeclaims_terminated_total{{nodepool=\"{pool}\",reason=\"{reason}\"}}", ["values"] = "0x20 1+0x100" });
            }

            // The DCGM exporter on m reports per MIG instance (GPU_I_PROFILE, GPU_I_ID); on a, for the whole GPU.
            foreach (var (profile, id) in new[] { ("1g.10gb", "7"), ("1g.10gb", "8"), ("2g.20gb", "3"), ("3g.40gb", "2") })
            {
                input.Add((JsonNode)new JsonObject
                {
                    ["series"] = $"DCGM_FI_DEV_FB_USED{{Hostname=\"m\",gpu=\"0\",modelName=\"NVIDIA H100 80GB HBM3\",GPU_I_PROFILE=\"{profile}\",GPU_I_ID=\"{id}\",instance=\"10.0.3.30:9400\"}}",
                    ["values"] = "1024+0x120",
                });
            }

            input.Add((JsonNode)new JsonObject { ["series"] = "DCGM_FI_DEV_FB_USED{Hostname=\"a\",gpu=\"0\",modelName=\"NVIDIA A10G\",instance=\"10.0.1.11:9400\"}", ["values"] = "2048+0x120" });
            string Slice(string profile, string id) =>
                $"{{GPU_I_ID=\"{id}\",GPU_I_PROFILE=\"{profile}\",Hostname=\"m\",capacity_type=\"spot\",gpu=\"0\",instance_type=\"p5.4xlarge\",node_name=\"m\",nodepool=\"{Mig}\"}}";

            var test = new JsonObject
            {
                ["rule_files"] = files,
                ["evaluation_interval"] = "1m",
                ["tests"] = new JsonArray(new JsonObject
                {
                    ["interval"] = "1m",
                    ["input_series"] = input,
                    ["promql_expr_test"] = new JsonArray(
                        // Five GPU nodes, the MIG and time-sliced ones too: $0.50 + $0.75 + $0.50 + $7 + $0.25; the CPU node is not counted.
                        Expect(MetricNames.GpuHourlyCost, "10m", (MetricNames.GpuHourlyCost, 9)),
                        // a: all of its GPU requested (0.50); b: 2 of 4 (0.375); d: none; m: 1 of its 4 MIG devices (1.75); s: 2 of 4 replicas (0.125).
                        Expect(MetricNames.GpuRequestedHourlyCost, "10m", (MetricNames.GpuRequestedHourlyCost, 2.75)),
                        // m's $7 over its instances' seven compute slices: $1 a slice, so $3 for the 3g.40gb instance.
                        Expect(MetricNames.MigInstanceHourlyCost, "10m",
                            (MetricNames.MigInstanceHourlyCost + Slice("1g.10gb", "7"), 1), (MetricNames.MigInstanceHourlyCost + Slice("1g.10gb", "8"), 1),
                            (MetricNames.MigInstanceHourlyCost + Slice("2g.20gb", "3"), 2), (MetricNames.MigInstanceHourlyCost + Slice("3g.40gb", "2"), 3)),
                        Expect(DashboardExpr("cost", "Hourly MIG cost by profile (USD)"), "10m",
                            ("{GPU_I_PROFILE=\"1g.10gb\"}", 2), ("{GPU_I_PROFILE=\"2g.20gb\"}", 2), ("{GPU_I_PROFILE=\"3g.40gb\"}", 3)),
                        Expect(DashboardExpr("gpu", "MIG instance framebuffer used (MB)"), "10m",
                            ("{GPU_I_ID=\"7\",GPU_I_PROFILE=\"1g.10gb\",Hostname=\"m\",gpu=\"0\"}", 1024), ("{GPU_I_ID=\"8\",GPU_I_PROFILE=\"1g.10gb\",Hostname=\"m\",gpu=\"0\"}", 1024),
                            ("{GPU_I_ID=\"3\",GPU_I_PROFILE=\"2g.20gb\",Hostname=\"m\",gpu=\"0\"}", 1024), ("{GPU_I_ID=\"2\",GPU_I_PROFILE=\"3g.40gb\",Hostname=\"m\",gpu=\"0\"}", 1024)),
                        Expect(DashboardExpr("cost", "Hourly price by instance type"), "10m",
                            ("{instance_type=\"g5.xlarge\"}", 1.25), ("{instance_type=\"g5.12xlarge\"}", 0.75), ("{instance_type=\"m5.large\"}", 0.1),
                            ("{instance_type=\"p5.4xlarge\"}", 7)),
                        Expect(DashboardExpr("cost", "GPU requests by NodePool (GPUs, replicas, MIG devices)"), "10m",
                            ($"{{nodepool=\"{Tier1}\"}}", 1), ($"{{nodepool=\"{Inference}\"}}", 2), ($"{{nodepool=\"{Mig}\"}}", 1), ($"{{nodepool=\"{Shared}\"}}", 2)),
                        Expect(DashboardExpr("nodes", "GPU nodes"), "10m", ("{}", 5)),
                        Expect(DashboardExpr("nodes", "NodePool usage vs limit"), "10m",
                            ($"{{nodepool=\"{Tier1}\",resource_type=\"nvidia.com/gpu\"}}", 1), ($"{{nodepool=\"{Inference}\",resource_type=\"nvidia.com/gpu\"}}", 0.08),
                            ($"{{nodepool=\"{Shared}\",resource_type=\"nvidia.com/gpu.shared\"}}", 1))),
                    ["alert_rule_test"] = new JsonArray(
                        new JsonObject { ["eval_time"] = "50m", ["alertname"] = "HighGPUCostAlert", ["exp_alerts"] = new JsonArray() },
                        new JsonObject
                        {
                            ["eval_time"] = "70m",
                            ["alertname"] = "HighGPUCostAlert",
                            ["exp_alerts"] = new JsonArray(new JsonObject
                            {
                                ["exp_labels"] = new JsonObject { ["severity"] = "warning" },
                                ["exp_annotations"] = new JsonObject { ["summary"] = "Hourly GPU cost is above $1" },
                            }),
                        },
                        new JsonObject
                        {
                            ["eval_time"] = "10m",
                            ["alertname"] = "GPUNodePoolNearLimit",
                            ["exp_alerts"] = new JsonArray(new JsonObject
                            {
                                ["exp_labels"] = new JsonObject { ["severity"] = "warning", ["nodepool"] = Tier1, ["resource_type"] = WellKnownResources.NvidiaGpu },
                                ["exp_annotations"] = new JsonObject { ["summary"] = "GPU NodePool approaching resource limit" },
                            },
                            new JsonObject
                            {
                                ["exp_labels"] = new JsonObject { ["severity"] = "warning", ["nodepool"] = Shared, ["resource_type"] = WellKnownResources.NvidiaGpuShared },
                                ["exp_annotations"] = new JsonObject { ["summary"] = "GPU NodePool approaching resource limit" },
                            }),
                        },
                        new JsonObject
                        {
                            ["eval_time"] = "25m",
                            ["alertname"] = "KarpenterProvisioningFailed",
                            ["exp_alerts"] = new JsonArray(new JsonObject
                            {
                                ["exp_labels"] = new JsonObject { ["severity"] = "critical", ["nodepool"] = Tier1 },
                                ["exp_annotations"] = new JsonObject { ["summary"] = "Karpenter failed to provision GPU node" },
                            }),
                        }),
                }),
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "test.json"), test.ToJsonString());

            var (exit, output) = await Promtool.RunAsync(folder, "test", "rules", "test.json");

            Assert.True(exit == 0, $"promtool test rules failed:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [PromtoolFact]
    public async Task Dashboards_EveryQuery_IsValidPromQL()
    {
        var rules = new JsonArray();
        foreach (var name in Dashboards.Names)
        {
            using var json = JsonDocument.Parse(Dashboards.Read(name));
            var index = 0;
            foreach (var target in json.RootElement.GetProperty("panels").EnumerateArray().SelectMany(p => p.TryGetProperty("targets", out var t) ? t.EnumerateArray() : []))
            {
                rules.Add((JsonNode)new JsonObject { ["record"] = $"dashboard:{name}:{index++}", ["expr"] = target.GetProperty("expr").GetString() });
            }
        }

        var folder = Folder();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "dashboards.json"),
                new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "dashboards", ["rules"] = rules }) }.ToJsonString());

            var (exit, output) = await Promtool.RunAsync(folder, "check", "rules", "dashboards.json");

            Assert.True(rules.Count >= 10);
            Assert.True(exit == 0, $"promtool check rules failed on the dashboards' queries:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
