using System.Text.Json;
using Platform.Autoscaler.Simulation.Cli;
using Platform.Autoscaler.Tests.Cli;

namespace Platform.Autoscaler.Simulation.Tests.Cli;

/// <summary>simulate end to end through the CLI on a one-hour scenario: the report folder and what is printed.</summary>
public sealed class SimulateCommandTests
{
    private const string OneHour = """
        name: one-hour
        duration: 1h
        step: 10s
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
                    values: ["spot", "on-demand"]
                  - key: karpenter.k8s.aws/instance-category
                    operator: In
                    values: ["m"]
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
        workloads:
          - kind: Deployment
            name: web
            replicas:
              - { at: 0h, count: 2 }
              - { at: 30m, count: 6 }
            template:
              spec:
                containers:
                  - name: web
                    image: nginx
                    resources: { requests: { cpu: "3", memory: 4Gi } }
        """;

    [Fact]
    public async Task Simulate_WithReportAndBaseline_WritesAndListsEveryFileWithPngCharts()
    {
        using var cli = new CliRunner(DeveloperCommandLine.RunAsync);
        var scenario = cli.Write("one-hour.yaml", OneHour);
        var report = Path.Combine(cli.Folder, "report");

        var (code, output, error) = await cli.RunAsync("simulate", "--scenario", scenario, "--baseline", "static", "--report", report);

        Assert.True(code == 0, error);
        Assert.DoesNotContain('\r', error); // captured output gets no progress redraws
        Assert.Contains($"report: {report} (summary.json, timeline.csv, decisions.log, nodes.png, cost.png)", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")));
        Assert.Equal(SimulationReport.Files, summary.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.All(SimulationReport.Files, f => Assert.True(File.Exists(Path.Combine(report, f)), f));
        Assert.StartsWith("hour,nodes,spot_nodes,gpu_nodes,", await File.ReadAllTextAsync(Path.Combine(report, "timeline.csv")), StringComparison.Ordinal);
        foreach (var chart in new[] { "nodes.png", "cost.png" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(report, chart));
            Assert.True(bytes.Length > 10_000, $"{chart}: {bytes.Length} bytes");
            using var image = PngImage.Decode(bytes);
            Assert.Equal((SimulationCharts.Width, SimulationCharts.Height), (image.Width, image.Height));
        }

        using var cost = PngImage.Decode(await File.ReadAllBytesAsync(Path.Combine(report, "cost.png")));
        Assert.True(cost.Count(SimulationCharts.Baseline) > 500, "the static baseline's line is on the cost chart");
    }
}
