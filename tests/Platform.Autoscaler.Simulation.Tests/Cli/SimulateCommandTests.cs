using System.Globalization;
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
        Assert.Contains($"report: {report} (summary.json, timeline.csv, decisions.log, nodes.png, cost.png, baseline-timeline.csv, baseline-decisions.log)",
            output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")));
        Assert.Equal(SimulationReport.FilesFor(baseline: true), summary.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.All(SimulationReport.FilesFor(baseline: true), f => Assert.True(File.Exists(Path.Combine(report, f)), f));
        foreach (var timeline in new[] { "timeline.csv", "baseline-timeline.csv" })
        {
            var rows = await File.ReadAllLinesAsync(Path.Combine(report, timeline));
            Assert.Equal("hour,nodes,spot_nodes,gpu_nodes,pods_bound,pods_pending,hourly_cost_usd,spent_usd", rows[0]);
            Assert.Equal(12, rows.Length - 1); // a sample every 5 minutes of the hour
        }

        // Each timeline's spending adds up to its run's total: the last sample is 5 minutes short of the end.
        foreach (var (timeline, total) in new[] { ("timeline.csv", summary.RootElement.GetProperty("cost")), ("baseline-timeline.csv", summary.RootElement.GetProperty("baseline").GetProperty("cost")) })
        {
            var last = (await File.ReadAllLinesAsync(Path.Combine(report, timeline)))[^1].Split(',');
            var (hourly, spent) = (double.Parse(last[6], CultureInfo.InvariantCulture), double.Parse(last[7], CultureInfo.InvariantCulture));
            Assert.InRange(total.GetDouble() - spent, 0, (hourly * 5 / 60) + 0.01);
        }

        // The baseline's figures can be checked: its launches in the summary match its scale-ups in its decisions.
        var baseline = summary.RootElement.GetProperty("baseline");
        var launched = baseline.GetProperty("launches").EnumerateObject().Sum(l => l.Value.GetInt32());
        var scaleUps = (await File.ReadAllLinesAsync(Path.Combine(report, "baseline-decisions.log"))).Count(l => l.Contains(" static scale-up group/", StringComparison.Ordinal));
        Assert.True(launched > 0);
        Assert.Equal(launched, scaleUps);
        Assert.Contains($"{"launches by type:",-36}{"autoscaler",10}{"static",8}", output, StringComparison.Ordinal);
        foreach (var (chart, height) in new[] { ("nodes.png", SimulationCharts.Height), ("cost.png", SimulationCharts.CostHeight) })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(report, chart));
            Assert.True(bytes.Length > 10_000, $"{chart}: {bytes.Length} bytes");
            using var image = PngImage.Decode(bytes);
            Assert.Equal((SimulationCharts.Width, height), (image.Width, image.Height));
        }

        using var cost = PngImage.Decode(await File.ReadAllBytesAsync(Path.Combine(report, "cost.png")));
        Assert.True(cost.Count(SimulationCharts.Baseline) > 500, "the static baseline's line is on the cost chart");
    }

    [Fact]
    public async Task Simulate_PodNoInstanceTypeHolds_NamesItAndTheSchedulersReasonInOutputAndDecisionsLog()
    {
        using var cli = new CliRunner(DeveloperCommandLine.RunAsync);
        var huge = """

              - kind: Deployment
                name: huge
                replicas:
                  - { at: 0h, count: 1 }
                template:
                  spec:
                    containers:
                      - name: huge
                        image: nginx
                        resources: { requests: { cpu: "500", memory: 4Gi } }
            """;
        var scenario = cli.Write("huge.yaml", OneHour + huge);
        var report = Path.Combine(cli.Folder, "report");

        var (code, output, _) = await cli.RunAsync("simulate", "--scenario", scenario, "--report", report);

        Assert.Equal(1, code);
        Assert.Contains("(1 pending at the end)", output, StringComparison.Ordinal);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("    default/huge-", StringComparison.Ordinal));
        // The scheduler's reason names the pool that was tried and the resource no type of it has.
        Assert.Matches(@"^    default/huge-00001: cannot be placed: existing nodes: none of \d+ can take it; cpu: no instance type has enough cpu: needs 500\b", line);
        var logged = Assert.Single(await File.ReadAllLinesAsync(Path.Combine(report, "decisions.log")), l => l.Contains(" simulate pending ", StringComparison.Ordinal));
        Assert.EndsWith("simulate pending Pod/" + line.Trim(), logged, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")));
        var pending = Assert.Single(summary.RootElement.GetProperty("pending").EnumerateArray());
        Assert.Equal("default/huge-00001", pending.GetProperty("pod").GetString());
    }

    /// <summary>The one-hour scenario with its pool as two variants: m spot and on-demand, and m on-demand only.</summary>
    private static string Variants()
    {
        var start = OneHour.IndexOf("manifests: |", StringComparison.Ordinal);
        var split = OneHour.IndexOf("  ---", start, StringComparison.Ordinal);
        var end = OneHour.IndexOf("workloads:", StringComparison.Ordinal);
        var pool = OneHour[(start + "manifests: |\n".Length)..split].Replace("\n  ", "\n      ", StringComparison.Ordinal).TrimStart();
        var onDemand = pool.Replace("[\"spot\", \"on-demand\"]", "[\"on-demand\"]", StringComparison.Ordinal).Replace("name: cpu", "name: cpu-on-demand", StringComparison.Ordinal);
        return OneHour[..start] + "manifests: |\n" + OneHour[(split + "  ---\n".Length)..end]
            + $"variants:\n  - name: on-demand\n    manifests: |\n      {onDemand}\n  - name: spot\n    manifests: |\n      {pool}\n" + OneHour[end..];
    }

    [Fact]
    public async Task Simulate_Variants_RunsEachAndPrintsEachOnesSavingAgainstTheFirst()
    {
        using var cli = new CliRunner(DeveloperCommandLine.RunAsync);
        var scenario = cli.Write("variants.yaml", Variants());
        var report = Path.Combine(cli.Folder, "report");

        var (code, output, error) = await cli.RunAsync("simulate", "--scenario", scenario, "--report", report, "--json");

        Assert.True(code == 0, error);
        Assert.Contains("simulation one-hour: 2 variants, 1 simulated hours each", output, StringComparison.Ordinal);
        Assert.Contains("  against on-demand ($", output, StringComparison.Ordinal);
        using var figures = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("on-demand", figures.RootElement.GetProperty("reference").GetString());
        var variants = figures.RootElement.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(["on-demand", "spot"], variants.Select(v => v.GetProperty("name").GetString()));
        var (reference, spot) = (variants[0].GetProperty("cost").GetDouble(), variants[1].GetProperty("cost").GetDouble());
        Assert.True(spot < reference, $"spot {spot} is not cheaper than on-demand {reference}");
        Assert.Equal(Math.Round(reference - spot, 2), variants[1].GetProperty("savingAgainstReference").GetDouble(), 2);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"    spot                  saves ${reference - spot:F2}"), output, StringComparison.Ordinal);
        Assert.All(variants[1].GetProperty("launches").EnumerateObject(), l => Assert.EndsWith(" spot", l.Name, StringComparison.Ordinal));
        Assert.All(variants[0].GetProperty("launches").EnumerateObject(), l => Assert.EndsWith(" on-demand", l.Name, StringComparison.Ordinal));
        foreach (var variant in new[] { "on-demand", "spot" })
        {
            Assert.All(SimulationReport.FilesFor(baseline: false), f => Assert.True(File.Exists(Path.Combine(report, variant, f)), $"{variant}/{f}"));
        }

        Assert.True(File.Exists(Path.Combine(report, "summary.json")));
    }

    [Fact]
    public async Task Simulate_VariantsWithBaseline_IsAUsageError()
    {
        using var cli = new CliRunner(DeveloperCommandLine.RunAsync);

        var (code, _, error) = await cli.RunAsync("simulate", "--scenario", cli.Write("variants.yaml", Variants()), "--baseline", "static", "--report", Path.Combine(cli.Folder, "r"));

        Assert.Equal(2, code);
        Assert.Contains("a scenario with variants compares its variants", error, StringComparison.Ordinal);
    }
}
