using System.Diagnostics;
using System.Text.Json;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// Random GPU-platform batches (<see cref="GpuBatch"/>), each solved by the scheduler (greedy, and greedy then re-pack
/// within the service's 200 ms budget) and exactly by OR-Tools (<see cref="ExactOptimum"/>): prints plan cost over the
/// weight-respecting optimum per batch, then the median and the worst.
/// </summary>
internal static class OptimalityBenchmark
{
    public static int Run(IReadOnlyList<int> sizes, int batchesPerSize, bool json, TextWriter output)
    {
        var types = BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t, ephemeralStorageGiB: 200)).ToList();
        var service = Environment.GetEnvironmentVariable("PACKING_CLOCK") == "1" ? new PackingOptions { Clock = TimeProvider.System } : PackingOptions.Default;
        _ = Scheduler.Solve(new SchedulingInput(GpuBatch.Create(0, 50, types).Pods, [], GpuBatch.Create(0, 50, types).Pools, Packing: service)); // warms the JIT and OR-Tools

        output.WriteLine($"GPU-platform batches on the bundled us-east-1 catalog, {batchesPerSize} per size; plan = greedy, then re-pack within {service.Budget.TotalMilliseconds:F0} ms");
        output.WriteLine($"{"pods",5} {"seed",5} {"greedy $/h",11} {"plan $/h",10} {"optimum",10} {"bound",10} {"proven",7} {"greedy/opt",11} {"plan/opt",9} {"greedy ms",10} {"plan ms",8} {"exact s",8}");
        var rows = new List<(int Size, int Seed, double Greedy, double Plan, ExactResult Exact, bool SameProfile, double PlanMs, double ExactSeconds)>();
        foreach (var size in sizes)
        {
            for (var b = 0; b < batchesPerSize; b++)
            {
                var seed = size * 1000 + b;
                var batch = GpuBatch.Create(seed, size, types);
                var watch = Stopwatch.StartNew();
                var greedy = Scheduler.Solve(new SchedulingInput(batch.Pods, [], batch.Pools, Packing: PackingOptions.Greedy));
                var greedyMs = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                var plan = Scheduler.Solve(new SchedulingInput(batch.Pods, [], batch.Pools, Packing: service));
                var planMs = watch.Elapsed.TotalMilliseconds;

                var model = new ExactModel(batch.Pods, batch.Pools);
                var (columns, placed, tiers) = PlanColumns.Of(model, plan);
                watch.Restart();
                var exact = ExactOptimum.Solve(model, columns, TimeSpan.FromSeconds(10), enumerationCap: 100_000);
                var exactSeconds = watch.Elapsed.TotalSeconds;
                var same = placed == exact.Placed && tiers == exact.Tiers;
                rows.Add((size, seed, greedy.HourlyCost, plan.HourlyCost, exact, same, planMs, exactSeconds));
                output.WriteLine($"{size,5} {seed,5} {greedy.HourlyCost,11:F4} {plan.HourlyCost,10:F4} {exact.Cost,10:F4} {exact.LowerBound,10:F4} {(exact.Proven ? "yes" : "no"),7} "
                    + $"{greedy.HourlyCost / exact.Cost,11:F4} {plan.HourlyCost / exact.Cost,9:F4} {greedyMs,10:F0} {planMs,8:F0} {exactSeconds,8:F1}"
                    + (same ? "" : $"  plan places {placed} pods with {tiers} below their first pool, optimum {exact.Placed} with {exact.Tiers}"));
            }
        }

        var ratios = rows.Where(r => r.SameProfile).Select(r => r.Plan / r.Exact.Cost).Order().ToList();
        var greedyRatios = rows.Select(r => r.Greedy / r.Exact.Cost).Order().ToList();
        var bounds = rows.Where(r => r.SameProfile).Select(r => r.Plan / r.Exact.LowerBound).Order().ToList();
        output.WriteLine();
        output.WriteLine($"plan/optimum: median {Median(ratios):F4}, worst {ratios.LastOrDefault():F4} over {ratios.Count} batches "
            + $"({rows.Count(r => r.Exact.Proven)} of {rows.Count} optima proven; against the lower bounds median {Median(bounds):F4}, worst {bounds.LastOrDefault():F4})");
        output.WriteLine($"greedy/optimum: median {Median(greedyRatios):F4}, worst {greedyRatios.LastOrDefault():F4}");
        output.WriteLine($"plan time: median {Median([.. rows.Select(r => r.PlanMs).Order()]):F0} ms, worst {rows.Max(r => r.PlanMs):F0} ms; "
            + $"{rows.Count(r => !r.SameProfile)} batch(es) where the plan places fewer pods or fewer in their first pool");
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                optimality = new
                {
                    batches = rows.Count,
                    proven = rows.Count(r => r.Exact.Proven),
                    medianRatio = Math.Round(Median(ratios), 4),
                    worstRatio = Math.Round(ratios.LastOrDefault(), 4),
                    greedyMedianRatio = Math.Round(Median(greedyRatios), 4),
                    greedyWorstRatio = Math.Round(greedyRatios.LastOrDefault(), 4),
                    worstPlanMilliseconds = Math.Round(rows.Max(r => r.PlanMs)),
                },
            }));
        }

        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
