using System.Text.Json;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Settings;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.Helm;

/// <summary>
/// The values the stack hands each chart against the chart itself: every key set is declared in
/// <see cref="ChartValueKeys"/>, and every declared key is one the chart's values.yaml defines at the version it was
/// checked against (recorded under ChartKeys/ by infra/tools/record-chart-keys.py from the chart's sources).
/// </summary>
public sealed class ChartValueKeysTests
{
    private static IEnumerable<(HelmRelease Release, ChartKeys Keys)> Releases(StackSettings settings) =>
    [
        (HelmCharts.GpuOperator(settings), ChartValueKeys.GpuOperator),
        (HelmCharts.Keda(settings), ChartValueKeys.Keda),
        (HelmCharts.KubePrometheusStack(settings), ChartValueKeys.KubePrometheusStack),
    ];

    /// <summary>The key paths in <paramref name="values"/>, descending into objects until a declared path.</summary>
    private static IEnumerable<string> PathsSet(JsonElement values, IReadOnlySet<string> declared, string prefix = "")
    {
        foreach (var property in values.EnumerateObject())
        {
            var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (declared.Contains(path) || property.Value.ValueKind != JsonValueKind.Object)
            {
                yield return path;
            }
            else
            {
                foreach (var inner in PathsSet(property.Value, declared, path))
                {
                    yield return inner;
                }
            }
        }
    }

    private static HashSet<string> Recorded(ChartKeys keys)
    {
        var file = Path.Combine(Repo.TestsDirectory, "Helm", "ChartKeys", $"{keys.Chart}-{keys.CheckedAgainst}.keys");
        Assert.True(File.Exists(file), $"no record of {keys.Chart} {keys.CheckedAgainst}'s values.yaml keys at {file}; make it with infra/tools/record-chart-keys.py");
        return File.ReadLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void HelmValues_EveryKeySet_IsDeclaredInChartValueKeys(string stack)
    {
        foreach (var (release, keys) in Releases(Stacks.Settings(stack)))
        {
            var declared = keys.Paths.ToHashSet(StringComparer.Ordinal);
            var undeclared = PathsSet(release.Values, declared).Where(p => !declared.Contains(p)).ToList();
            Assert.True(undeclared.Count == 0, $"{release.Chart} values set keys ChartValueKeys does not list: {string.Join(", ", undeclared)}");
        }
    }

    [Fact]
    public void ChartValueKeys_EachDeclaredKey_IsSetByTheStack()
    {
        foreach (var keys in ChartValueKeys.All)
        {
            var declared = keys.Paths.ToHashSet(StringComparer.Ordinal);
            var set = new[] { "dev", "prod" }.SelectMany(stack => Releases(Stacks.Settings(stack)))
                .Where(r => r.Keys == keys).SelectMany(r => PathsSet(r.Release.Values, declared)).ToHashSet(StringComparer.Ordinal);
            Assert.Empty(declared.Except(set));
        }
    }

    [Fact]
    public void ChartValueKeys_EachKey_IsDefinedByTheChartsValuesYamlAtTheVersionCheckedAgainst()
    {
        foreach (var keys in ChartValueKeys.All)
        {
            var recorded = Recorded(keys);
            var unknown = keys.Paths.Where(p => !recorded.Contains(p)).ToList();
            Assert.True(unknown.Count == 0, $"{keys.Chart} {keys.CheckedAgainst}'s values.yaml defines no {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void ChartValueKeys_ARemovedKey_IsNotInTheRecord()
    {
        // operator.defaultRuntime was read by gpu-operator before v25.3.0; the record of v25.3.2 must not know it, or
        // the check above could not catch a key a chart dropped.
        Assert.DoesNotContain("operator.defaultRuntime", Recorded(ChartValueKeys.GpuOperator));
        Assert.Contains("operator.runtimeClass", Recorded(ChartValueKeys.GpuOperator));
    }

    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void Settings_PinnedChartVersions_AreTheOnesTheKeysWereCheckedAgainst(string stack)
    {
        var charts = Stacks.Settings(stack).Charts;

        Assert.Equal(ChartValueKeys.GpuOperator.CheckedAgainst, charts.GpuOperator);
        Assert.Equal(ChartValueKeys.Keda.CheckedAgainst, charts.Keda);
        Assert.Equal(ChartValueKeys.KubePrometheusStack.CheckedAgainst, charts.KubePrometheusStack);
    }

    [Fact]
    public void Settings_ChartVersionTheKeysWereNotCheckedAgainst_IsRefused()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read("dev", Stacks.With("dev",
            ("gpu-platform:charts", """{"gpuOperator": "v24.9.2", "keda": "2.17.2", "kubePrometheusStack": "75.15.1"}"""))));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("gpu-platform:charts.gpuOperator: 'v24.9.2': the values the stack sets were checked against gpu-operator v25.3.2 only", message, StringComparison.Ordinal);
    }
}
