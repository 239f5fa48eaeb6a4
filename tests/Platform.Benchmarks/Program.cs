using System.CommandLine;
using Platform.Benchmarks.Consolidation;
using Platform.Benchmarks.Optimality;
using Platform.Benchmarks.Reading;
using Platform.Benchmarks.Scheduling;

var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var sizes = new Option<string>("--sizes") { Description = "Pod counts, comma separated.", DefaultValueFactory = _ => "1000,5000,10000,20000" };
var warmups = new Option<int>("--warmups") { Description = "Untimed solves per size before the timed ones.", DefaultValueFactory = _ => 3 };
var runs = new Option<int>("--runs") { Description = "Timed solves per size; the median is reported.", DefaultValueFactory = _ => 5 };
var scheduling = new Command("scheduling", "Karpenter's diverse-pods scheduling benchmark and a GPU cost scenario.") { json, sizes, warmups, runs };
scheduling.SetAction(parse => SchedulingBenchmark.Run(
    SchedulingBenchmark.ParseSizes(parse.GetValue(sizes)!), Math.Max(0, parse.GetValue(warmups)), Math.Max(1, parse.GetValue(runs)), parse.GetValue(json), Console.Out));
var nodes = new Option<int>("--nodes") { Description = "Nodes in the fragmented cluster.", DefaultValueFactory = _ => 1000 };
var consolidationJson = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var consolidation = new Command("consolidation", "Consolidate a fragmented cluster on the bundled catalog.") { nodes, consolidationJson };
consolidation.SetAction(parse => ConsolidationBenchmark.Run(parse.GetValue(nodes), parse.GetValue(consolidationJson), Console.Out));
var optimalitySizes = new Option<string>("--sizes") { Description = "Batch sizes in pods, comma separated.", DefaultValueFactory = _ => "20,50,100,200,500" };
var batches = new Option<int>("--batches") { Description = "Random batches per size.", DefaultValueFactory = _ => 6 };
var seeds = new Option<string?>("--seeds") { Description = "Only these batches (seed = size x 1000 + batch number), comma separated." };
var budget = new Option<int>("--budget-ms") { Description = "The re-pack's budget on the system clock, as the service gives it; 0: the fixed work limits alone.", DefaultValueFactory = _ => 200 };
var showNodes = new Option<bool>("--nodes") { Description = "Print each plan's nodes and the optimum's." };
var optimalityJson = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var optimality = new Command("optimality", "Plan cost against the exact weight-respecting optimum on random GPU-platform batches.") { optimalitySizes, batches, seeds, budget, showNodes, optimalityJson };
optimality.SetAction(parse => OptimalityBenchmark.Run(
    parse.GetValue(seeds) is { } only ? SchedulingBenchmark.ParseSizes(only) : [.. SchedulingBenchmark.ParseSizes(parse.GetValue(optimalitySizes)!).SelectMany(size => Enumerable.Range(0, parse.GetValue(batches)).Select(b => size * 1000 + b))],
    parse.GetValue(budget) > 0 ? TimeSpan.FromMilliseconds(parse.GetValue(budget)) : null, parse.GetValue(showNodes), parse.GetValue(optimalityJson), Console.Out));
var megabytes = new Option<int>("--megabytes") { Description = "Size of the manifest file to write and read.", DefaultValueFactory = _ => 50 };
var keep = new Option<string?>("--keep") { Description = "Write the manifest file here and keep it (to time validate and plan on it)." };
var readingJson = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var reading = new Command("reading", "Read a large multi-document manifest file as validate and plan do.") { megabytes, keep, readingJson };
reading.SetAction(parse => ReadingBenchmark.Run(parse.GetValue(megabytes), parse.GetValue(keep), parse.GetValue(readingJson), Console.Out));
var root = new RootCommand("Benchmarks of the packing core and the manifest reader; figures only, no assertions.") { scheduling, consolidation, optimality, reading };
return root.Parse(args).Invoke();
