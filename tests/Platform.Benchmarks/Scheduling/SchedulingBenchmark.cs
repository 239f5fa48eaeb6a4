using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Scheduling;

/// <summary>
/// Runs Karpenter's diverse-pods ladder and the GPU scenario, printing figures (and one JSON line with --json). Each solve
/// runs as the provisioner runs it: greedy, then the re-pack within its budget on the system clock (200 ms for up to
/// 1,000 pods, less for larger batches).
/// </summary>
internal static class SchedulingBenchmark
{
    public const int Seed = 42;

    public static int Run(IReadOnlyList<int> sizes, int warmups, int runs, bool json, TextWriter output)
    {
        var service = new PackingOptions { Clock = TimeProvider.System };
        var pool = KarpenterBenchmark.Pool();
        var rows = new List<object>();
        output.WriteLine($"Karpenter diverse-pods benchmark: 400 instance types, seed {Seed}; per size {warmups} untimed solves (the JIT's tiers settle), then the median of {runs} timed");
        output.WriteLine($"{"pods",8} {"seconds",9} {"min",7} {"max",7} {"pods/sec",10} {"nodes",7} {"cost/h",10} {"peak MB",8} {"unplaced",9}");
        foreach (var size in sizes)
        {
            var pods = KarpenterBenchmark.DiversePods(size, new Random(Seed));
            for (var w = 0; w < warmups; w++)
            {
                _ = Scheduler.Solve(new SchedulingInput(pods, [], [pool], Packing: service));
            }

            Plan plan = null!;
            long peak = 0;
            var times = new List<double>(runs);
            for (var r = 0; r < runs; r++)
            {
                using var memory = new PeakMemory();
                var watch = Stopwatch.StartNew();
                plan = Scheduler.Solve(new SchedulingInput(pods, [], [pool], Packing: service));
                watch.Stop();
                peak = Math.Max(peak, memory.PeakBytes);
                times.Add(watch.Elapsed.TotalSeconds);
            }

            times.Sort();
            var seconds = times[times.Count / 2];
            var podsPerSecond = (long)(size / seconds);
            var peakMb = peak / (1024 * 1024);
            output.WriteLine($"{size,8} {seconds,9:F3} {times[0],7:F3} {times[^1],7:F3} {podsPerSecond,10} {plan.NodeClaims.Count,7} {plan.HourlyCost,10:F2} {peakMb,8} {plan.Unplaced.Count,9}");
            rows.Add(new
            {
                pods = size, seconds = Math.Round(seconds, 4), secondsMin = Math.Round(times[0], 4), secondsMax = Math.Round(times[^1], 4), runs, podsPerSecond,
                nodes = plan.NodeClaims.Count, cost = Math.Round(plan.HourlyCost, 4), peakMemoryMB = peakMb, unplaced = plan.Unplaced.Count,
            });
        }

        var catalog = BundledCatalog.Load();
        var pools = GpuScenario.Pools(catalog);
        var gpuPods = GpuScenario.Pods(new Random(Seed));
        _ = Scheduler.Solve(new SchedulingInput(gpuPods, [], pools, Packing: service)); // warms the JIT and loads OR-Tools' native library (seconds on a cold disk)
        var gpuWatch = Stopwatch.StartNew();
        var gpuPlan = Scheduler.Solve(new SchedulingInput(gpuPods, [], pools, Packing: service));
        gpuWatch.Stop();
        var placed = gpuPlan.NodeClaims.SelectMany(c => c.Pods).ToList();
        var (bound, _) = CostLowerBound.Compute(placed, pools);
        var ratio = bound > 0 ? gpuPlan.HourlyCost / bound : double.NaN;
        output.WriteLine();
        output.WriteLine($"GPU scenario on the bundled us-east-1 catalog: {gpuPods.Count} pods ({placed.Count} placed), {gpuPlan.NodeClaims.Count} nodes, {gpuWatch.Elapsed.TotalSeconds:F3} s");
        output.WriteLine($"  plan cost ${gpuPlan.HourlyCost:F4}/h; lower bound ${bound:F4}/h (LP relaxation, OR-Tools GLOP); ratio {ratio:F4}");
        foreach (var group in gpuPlan.NodeClaims.GroupBy(c => (c.NodePool, c.Options[0].InstanceType, c.Options[0].CapacityType)).OrderBy(g => g.Key.NodePool, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key.NodePool,-16} {group.Count(),4} x {group.Key.InstanceType,-16} {group.Key.CapacityType,-9} ${group.Sum(c => c.Price),10:F4}/h");
        }

        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                scheduling = rows,
                gpu = new { cost = Math.Round(gpuPlan.HourlyCost, 4), lowerBound = Math.Round(bound, 4), ratio = Math.Round(ratio, 4), unplaced = gpuPlan.Unplaced.Count },
            }));
        }

        return 0;
    }

    public static IReadOnlyList<int> ParseSizes(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
