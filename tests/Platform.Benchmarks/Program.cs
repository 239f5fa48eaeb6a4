using System.CommandLine;
using Platform.Benchmarks.Consolidation;
using Platform.Benchmarks.Scheduling;

var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var sizes = new Option<string>("--sizes") { Description = "Pod counts, comma separated.", DefaultValueFactory = _ => "1000,5000,10000,20000" };
var scheduling = new Command("scheduling", "Karpenter's diverse-pods scheduling benchmark and a GPU cost scenario.") { json, sizes };
scheduling.SetAction(parse => SchedulingBenchmark.Run(SchedulingBenchmark.ParseSizes(parse.GetValue(sizes)!), parse.GetValue(json), Console.Out));
var nodes = new Option<int>("--nodes") { Description = "Nodes in the fragmented cluster.", DefaultValueFactory = _ => 1000 };
var consolidationJson = new Option<bool>("--json") { Description = "End with one JSON line of the figures." };
var consolidation = new Command("consolidation", "Consolidate a fragmented cluster on the bundled catalog.") { nodes, consolidationJson };
consolidation.SetAction(parse => ConsolidationBenchmark.Run(parse.GetValue(nodes), parse.GetValue(consolidationJson), Console.Out));
var root = new RootCommand("Benchmarks of the packing core; figures only, no assertions.") { scheduling, consolidation };
return root.Parse(args).Invoke();
