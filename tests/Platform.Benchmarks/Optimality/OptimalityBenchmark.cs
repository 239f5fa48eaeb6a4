using System.Diagnostics;
using System.Text.Json;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Benchmarks.Optimality;

/// <summary>
/// Random GPU-platform batches (<see cref="GpuBatch"/>), each solved by the scheduler (greedy, and greedy then re-pack
/// as the service runs it: a budget on the system clock) and exactly by OR-Tools (<see cref="ExactOptimum"/>): prints
/// plan cost over the weight-respecting optimum per batch, then the median and the worst.
/// </summary>
internal static class OptimalityBenchmark
{
    /// <param name="seeds">Batches to solve; a batch's seed is its size times 1,000 plus its number.</param>
    /// <param name="budget">The re-pack's budget on the system clock, as the provisioner gives it; null: the fixed work limits alone.</param>
    /// <param name="showNodes">Also print each plan's nodes and the optimum's, to see where a plan loses.</param>
    public static int Run(IReadOnlyList<int> seeds, TimeSpan? budget, bool showNodes, bool json, TextWriter output)
    {
        var types = BundledCatalog.Load().InstanceTypes.Select(t => InstanceTypeResolver.Resolve(t, ephemeralStorageGiB: 200)).ToList();
        var service = budget is { } b ? new PackingOptions { Clock = TimeProvider.System, Budget = b } : PackingOptions.Default;
        var warm = GpuBatch.Create(0, 50, types);
        _ = Scheduler.Solve(new SchedulingInput(warm.Pods, [], warm.Pools, Packing: service)); // warms the JIT and OR-Tools

        output.WriteLine($"GPU-platform batches on the bundled us-east-1 catalog; plan = greedy, then re-pack "
            + (budget is { } d ? $"within {d.TotalMilliseconds:F0} ms (for up to 1,000 pods) on the system clock" : "within the fixed work limits, no deadline"));
        output.WriteLine($"{"pods",5} {"seed",6} {"greedy $/h",11} {"plan $/h",10} {"optimum",10} {"bound",10} {"proven",7} {"greedy/opt",11} {"plan/opt",9} {"greedy ms",10} {"plan ms",8} {"cpu ms",7} {"exact s",8}");
        var rows = new List<(int Size, int Seed, double Greedy, double Plan, ExactResult Exact, bool SameProfile, double PlanMs, double ExactSeconds)>();
        foreach (var seed in seeds)
        {
            var size = seed / 1000;
            var batch = GpuBatch.Create(seed, size, types);
            // One cache for both solves, as the service keeps one: the pools' types are compiled before either is timed.
            var cache = new SchedulerCache();
            _ = Scheduler.Solve(new SchedulingInput(batch.Pods, [], batch.Pools, cache, Packing: PackingOptions.Greedy));
            var watch = Stopwatch.StartNew();
            var greedy = Scheduler.Solve(new SchedulingInput(batch.Pods, [], batch.Pools, cache, Packing: PackingOptions.Greedy));
            var greedyMs = watch.Elapsed.TotalMilliseconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            var plan = Scheduler.Solve(new SchedulingInput(batch.Pods, [], batch.Pools, cache, Packing: service));
            var planMs = watch.Elapsed.TotalMilliseconds;
            var planCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;

            var model = new ExactModel(batch.Pods, batch.Pools);
            var (columns, placed, tiers) = PlanColumns.Of(model, plan);
            watch.Restart();
            var exact = ExactOptimum.Solve(model, columns, TimeSpan.FromSeconds(10), enumerationCap: 100_000);
            var exactSeconds = watch.Elapsed.TotalSeconds;
            var same = placed == exact.Placed && tiers == exact.Tiers;
            rows.Add((size, seed, greedy.HourlyCost, plan.HourlyCost, exact, same, planMs, exactSeconds));
            output.WriteLine($"{size,5} {seed,6} {greedy.HourlyCost,11:F4} {plan.HourlyCost,10:F4} {exact.Cost,10:F4} {exact.LowerBound,10:F4} {(exact.Proven ? "yes" : "no"),7} "
                + $"{greedy.HourlyCost / exact.Cost,11:F4} {plan.HourlyCost / exact.Cost,9:F4} {greedyMs,10:F0} {planMs,8:F0} {planCpuMs,7:F0} {exactSeconds,8:F1}"
                + (same ? "" : $"  plan places {placed} pods with {tiers} below their first pool, optimum {exact.Placed} with {exact.Tiers}"));
            if (showNodes)
            {
                foreach (var claim in plan.NodeClaims.GroupBy(c => $"{c.NodePool} {c.Cheapest.InstanceType} {c.Cheapest.CapacityType} ${c.Price:F4}: "
                    + string.Join(" ", c.Pods.GroupBy(p => p.Labels["app"]).Select(g => $"{g.Count()}x{g.Key}"))))
                {
                    output.WriteLine($"    plan    {claim.Count()} x {claim.Key}");
                }

                foreach (var (column, copies) in exact.Nodes)
                {
                    var kind = model.Kinds[column.Kind];
                    output.WriteLine($"    optimum {copies} x {model.Pools[kind.Pool].Name} {kind.Type} {kind.CapacityType} ${kind.Price:F4}: "
                        + string.Join(" ", column.Counts.Select((n, g) => (n, g)).Where(x => x.n > 0).Select(x => $"{x.n}x{model.Groups[x.g].Pod.Labels["app"]}")));
                }
            }
        }

        // A batch whose plan places fewer pods, or fewer in their first pool, than the optimum misses the first goals of
        // the objective: it counts against the plan at its cost ratio, never as a better one.
        var ratios = rows.Select(r => r.Plan / r.Exact.Cost).Order().ToList();
        var greedyRatios = rows.Select(r => r.Greedy / r.Exact.Cost).Order().ToList();
        var bounds = rows.Select(r => r.Plan / r.Exact.LowerBound).Order().ToList();
        // The same over proven optima alone: an unproven one is only the best found, so its ratio may flatter the plan.
        var provenRatios = rows.Where(r => r.Exact.Proven).Select(r => r.Plan / r.Exact.Cost).Order().ToList();
        var provenGreedyRatios = rows.Where(r => r.Exact.Proven).Select(r => r.Greedy / r.Exact.Cost).Order().ToList();
        output.WriteLine();
        output.WriteLine($"plan/optimum: median {Median(ratios):F4}, worst {ratios.LastOrDefault():F4} over {ratios.Count} batches "
            + $"({rows.Count(r => r.Exact.Proven)} optima proven; against the lower bounds median {Median(bounds):F4}, worst {bounds.LastOrDefault():F4})");
        output.WriteLine($"greedy/optimum: median {Median(greedyRatios):F4}, worst {greedyRatios.LastOrDefault():F4}");
        output.WriteLine(provenRatios.Count == 0
            ? "proven optima only: none proven"
            : $"proven optima only ({provenRatios.Count} batches): plan/optimum median {Median(provenRatios):F4}, worst {provenRatios[^1]:F4}; "
                + $"greedy/optimum median {Median(provenGreedyRatios):F4}, worst {provenGreedyRatios[^1]:F4}");
        output.WriteLine($"plan time (greedy and re-pack): median {Median([.. rows.Select(r => r.PlanMs).Order()]):F0} ms, worst {rows.Max(r => r.PlanMs):F0} ms; "
            + $"{rows.Count(r => !r.SameProfile)} batch(es) where the plan places fewer pods or fewer in their first pool than the optimum");
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
                    provenMedianRatio = RoundOrNull(provenRatios, Median),
                    provenWorstRatio = RoundOrNull(provenRatios, r => r[^1]),
                    provenGreedyMedianRatio = RoundOrNull(provenGreedyRatios, Median),
                    provenGreedyWorstRatio = RoundOrNull(provenGreedyRatios, r => r[^1]),
                    worseProfiles = rows.Count(r => !r.SameProfile),
                    medianPlanMilliseconds = Math.Round(Median([.. rows.Select(r => r.PlanMs).Order()])),
                    worstPlanMilliseconds = Math.Round(rows.Max(r => r.PlanMs)),
                },
            }));
        }

        return 0;
    }

    /// <summary>A figure over the ratios, rounded; null (not NaN, which JSON cannot hold) when there are none.</summary>
    private static double? RoundOrNull(List<double> sorted, Func<List<double>, double> figure) =>
        sorted.Count == 0 ? null : Math.Round(figure(sorted), 4);

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
