using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Infra.Blueprint.Interruption;
using Platform.Infra.Blueprint.Monitoring;
using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.NodePools;
using Platform.Infra.Blueprint.Rendering;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests;

/// <summary>The rendered manifests and values of each environment, kept as files so a pull request shows their diff.</summary>
public sealed class SnapshotTests
{
    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Render_NodePools(string stack) =>
        Snapshot.Match($"{stack}/nodepools.yaml", NodePoolValidator.Render(Blueprint(stack).NodePools));

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Render_Autoscaler(string stack) =>
        Snapshot.Match($"{stack}/autoscaler.yaml", Blueprint(stack).Autoscaler.Render());

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Render_ChartValues(string stack)
    {
        var blueprint = Blueprint(stack);
        foreach (var release in new[] { blueprint.GpuOperator, blueprint.Keda, blueprint.KubePrometheusStack })
        {
            var header = $"# {release.Chart} {release.Version} from {release.Repository}, release {release.Name} in {release.Namespace}\n";
            Snapshot.Match($"{stack}/values-{release.Name}.yaml", header + YamlRenderer.Render(JsonNode.Parse(release.ValuesJson)));
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Render_Monitoring(string stack)
    {
        var blueprint = Blueprint(stack);
        Snapshot.Match($"{stack}/monitoring.yaml",
            YamlDocuments.Join(blueprint.PrometheusRules.Prepend(blueprint.DcgmServiceMonitor).Select(o => o.ToYaml())));
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Render_Network(string stack)
    {
        var zones = Enumerable.Range(0, 6).Select(i => $"{Blueprint(stack).Settings.Region}{(char)('a' + i)}").ToArray();
        var plan = NetworkPlan.Create(Blueprint(stack).Settings, zones);
        Snapshot.Match($"{stack}/network.json", JsonSerializer.Serialize(plan, new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public void Render_InterruptionRules() =>
        Snapshot.Match("interruption-rules.yaml", YamlRenderer.Render(JsonSerializer.SerializeToNode(InterruptionQueue.Rules)));

    [Fact]
    public void Snapshot_Diff_ShowsChangedLines()
    {
        var diff = Snapshot.Diff("a\nb\nc\n", "a\nB\nc\n");

        Assert.Contains("-    2: b", diff, StringComparison.Ordinal);
        Assert.Contains("+    2: B", diff, StringComparison.Ordinal);
    }

    private static StackBlueprint Blueprint(string stack) => StackBlueprint.Create(Stacks.Settings(stack));
}
