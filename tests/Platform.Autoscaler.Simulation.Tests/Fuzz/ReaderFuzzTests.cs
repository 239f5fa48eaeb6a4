using Platform.Autoscaler.Aws.Catalog;
using Platform.Autoscaler.Cli;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Service;

namespace Platform.Autoscaler.Simulation.Tests.Fuzz;

/// <summary>
/// Every reader under random and mutated input (manifests through validate and plan, scenarios, catalogs, price
/// tables, kubeconfigs): the exit code is 0, 1 or 2, nothing prints a stack trace, every error names the file, and
/// each case stays within time and memory bounds. Serial, so one case's allocations are its own.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ReaderFuzzTests : IDisposable
{
    /// <summary>No case may allocate more: plan once tried to expand 2147483647 replicas.</summary>
    private const long MaxAllocatedBytes = 2L << 30;

    private static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(60);

    private readonly string folder = Directory.CreateTempSubdirectory("fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Validate_MutatedManifests_ExitCodeMessageNamingTheFileNoStackTrace() =>
        FuzzCases.Run(120, Corpus("gpu-pools.yaml"), (seed, input) => Verb(seed, input, "validate"));

    [Fact]
    public void Plan_MutatedWorkloads_ExitCodeMessageNamingTheFileNoStackTrace()
    {
        var pools = Path.Combine(folder, "pools.yaml");
        File.WriteAllText(pools, Corpus("gpu-pools.yaml"));
        FuzzCases.Run(60, Corpus("workload.yaml"), (seed, input) => Verb(seed, input, "plan", pools));
    }

    [Fact]
    public void ScenarioReader_MutatedScenario_ErrorsNameTheFileNeverThrows() =>
        FuzzCases.Run(150, ScenarioReader.BuiltInText(), (_, input) => Within(() =>
        {
            var (scenario, errors) = ScenarioReader.Read("fuzz.yaml", input);
            Assert.True(scenario is not null || errors.Count > 0, "no scenario and no error");
            Assert.All(errors, e => Assert.StartsWith("fuzz.yaml", e, StringComparison.Ordinal));
        }));

    [Fact]
    public void CatalogJson_MutatedCatalog_FormatExceptionNamingTheFileOrACatalog()
    {
        var bundled = BundledCatalog.Load();
        var valid = CatalogJson.Write(bundled with { InstanceTypes = [.. bundled.InstanceTypes.Where(t => t.Name is "m5.large" or "g5.xlarge" or "p4d.24xlarge")] });
        FuzzCases.Run(200, valid, (_, input) => Within(() =>
        {
            try
            {
                Assert.NotNull(CatalogJson.Parse(input, "fuzz.json"));
            }
            catch (FormatException e)
            {
                Assert.All(e.Message.Split('\n'), line => Assert.True(line.StartsWith("fuzz.json: ", StringComparison.Ordinal), e.Message));
            }
        }));
    }

    [Fact]
    public void OnDemandPrices_MutatedTable_OneLinePerErrorNamingFileAndLine()
    {
        var valid = string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "ec2-on-demand-prices-us-east-1.csv")).Take(40));
        FuzzCases.Run(200, valid, (_, input) => Within(() =>
        {
            try
            {
                Assert.NotNull(OnDemandPrices.Parse(input, "fuzz.csv"));
            }
            catch (FormatException e)
            {
                var lines = e.Message.Split('\n');
                Assert.InRange(lines.Length, 1, OnDemandPrices.MaxErrors + 1);
                Assert.All(lines, line => Assert.StartsWith("fuzz.csv:", line, StringComparison.Ordinal));
            }
        }));
    }

    [Fact]
    public void ClientConfiguration_MutatedKubeconfig_AProblemNamingTheFileNeverAnException()
    {
        const string Valid = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                token: abc
            contexts:
            - name: ctx
              context:
                cluster: c
                user: u
            current-context: ctx
            """;
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        FuzzCases.Run(150, Valid, (_, input) => Within(() =>
        {
            File.WriteAllText(kubeconfig, input);
            var (configuration, problem) = AutoscalerService.ClientConfiguration(new RunSettings { Kubeconfig = kubeconfig });
            Assert.True(configuration is not null || problem!.StartsWith($"kubeconfig {kubeconfig}: ", StringComparison.Ordinal), problem);
        }));
    }

    private void Verb(int seed, string input, string verb, params string[] before)
    {
        var file = Path.Combine(folder, $"case-{seed}.yaml");
        File.WriteAllText(file, input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Bounded(() => CommandLine.RunAsync([verb, .. before, file], output, error, CancellationToken.None).WaitAsync(MaxTime).GetAwaiter().GetResult());
        var stderr = error.ToString();
        Assert.InRange(code, 0, 2);
        Assert.False(stderr.Contains("   at ", StringComparison.Ordinal) || stderr.Contains("Exception", StringComparison.Ordinal), $"a stack trace: {stderr}");
        if (code != 0)
        {
            // Each problem names the file read, or is a usage line of the verb; a plan that only leaves pods unplaced
            // says so on stdout.
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 0 || output.ToString().Contains("unplaced", StringComparison.Ordinal), "a failure with no message");
            Assert.All(lines, line => Assert.True(
                line.StartsWith(file, StringComparison.Ordinal) || line.StartsWith($"{verb}:", StringComparison.Ordinal) || line.StartsWith("warning:", StringComparison.Ordinal),
                $"a message that names no file: {line}"));
        }
    }

    private static void Within(Action action) => Bounded(() =>
    {
        action();
        return 0;
    });

    private static T Bounded<T>(Func<T> action)
    {
        var before = GC.GetTotalAllocatedBytes();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = action();
        Assert.True(GC.GetTotalAllocatedBytes() - before < MaxAllocatedBytes, $"allocated {(GC.GetTotalAllocatedBytes() - before) >> 20} MiB");
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < MaxTime, "took longer than a minute");
        return result;
    }

    private static string Corpus(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", name));
}
