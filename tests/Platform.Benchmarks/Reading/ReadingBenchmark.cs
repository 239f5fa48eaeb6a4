using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Benchmarks.Reading;

/// <summary>
/// How long reading a large manifest file takes and how much memory it needs: the path <c>validate</c> and
/// <c>plan</c> share (document by document, schema and rule checks, typed objects). Target: 50 MB in under 30 s and
/// under 1 GB.
/// </summary>
internal static class ReadingBenchmark
{
    public static int Run(int megabytes, string? keep, bool json, TextWriter output)
    {
        var path = keep ?? Path.Combine(Path.GetTempPath(), $"reading-benchmark-{Environment.ProcessId}.yaml");
        try
        {
            var bytes = ManifestCorpus.Write(path, megabytes * 1024L * 1024L);
            var baseline = Process.GetCurrentProcess().WorkingSet64;
            var watch = Stopwatch.StartNew();
            ManifestSet set;
            using (var text = new StreamReader(path))
            {
                set = new ManifestReader().Read(path, text);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var figures = new
            {
                megabytes = Math.Round(bytes / 1048576.0, 1),
                seconds = Math.Round(seconds, 2),
                megabytesPerSecond = Math.Round(bytes / 1048576.0 / seconds, 1),
                objects = set.Objects.Count,
                skipped = set.Skipped.Count,
                errors = set.Errors.Count,
                peakWorkingSetMb = peak / 1048576,
                startWorkingSetMb = baseline / 1048576,
            };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {figures.megabytes} MB in {figures.seconds} s ({figures.megabytesPerSecond} MB/s): {figures.objects} Karpenter objects, {figures.skipped} other documents, {figures.errors} errors; peak working set {figures.peakWorkingSetMb} MB (before reading {figures.startWorkingSetMb} MB)"));
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(figures));
            }

            return 0;
        }
        finally
        {
            if (keep is null)
            {
                File.Delete(path);
            }
        }
    }
}
