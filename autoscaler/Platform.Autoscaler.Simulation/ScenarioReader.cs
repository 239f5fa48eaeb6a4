using System.Globalization;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Kubernetes;
using Platform.Autoscaler.Planning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Simulation;

/// <summary>
/// Reads a scenario file. The pools come as Karpenter YAML (checked by the same reader as `validate`), pod templates
/// as Kubernetes YAML; everything else is a small schema. Every mistake is reported at once, each with the file and
/// the field path, and nothing runs until the file is clean.
/// </summary>
public static partial class ScenarioReader
{
    /// <summary>The built-in scenario's file name.</summary>
    public const string BuiltInName = "gpu-platform-day.yaml";

    /// <summary>The built-in scenario's text.</summary>
    public static string BuiltInText()
    {
        using var stream = typeof(ScenarioReader).Assembly.GetManifestResourceStream("Platform.Autoscaler.Simulation.Scenarios." + BuiltInName)
            ?? throw new InvalidOperationException("the built-in scenario is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses a scenario, or returns every error found.</summary>
    public static (Scenario? Scenario, IReadOnlyList<string> Errors) Read(string file, string text)
    {
        var errors = new List<string>();
        List<YamlDocument> documents;
        try
        {
            documents = [.. DocumentParser.ReadDocuments(new StringReader(text))];
        }
        catch (YamlException e)
        {
            var what = e is NestingTooDeepException ? "YAML not read" : "YAML syntax error";
            return (null, [$"{file}:{e.Start.Line}:{e.Start.Column}: {what}: {Clean(e)}"]);
        }

        if (documents.Count > 1)
        {
            return (null, [$"{file}:{documents[1].RootNode.Start.Line}: a scenario is one YAML document; this is a second one"]);
        }

        if (documents.FirstOrDefault()?.RootNode is not YamlMappingNode map)
        {
            return (null, [$"{file}: a scenario is a mapping with name, duration, manifests, workloads and faults"]);
        }

        var fields = new Fields(file, "", map, errors);
        fields.AllowOnly("name", "start", "duration", "step", "seed", "manifests", "variants", "workloads", "faults");
        var name = fields.String("name", required: true) ?? "";
        var start = fields.Time("start") ?? new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var duration = fields.Duration("duration", required: true) ?? TimeSpan.Zero;
        var step = fields.Duration("step") ?? TimeSpan.FromSeconds(10);
        var seed = fields.Int("seed") ?? 42;
        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(31))
        {
            errors.Add($"{file}: duration: must be more than 0 and at most 31 days");
        }

        if (step < TimeSpan.FromSeconds(1) || step > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{file}: step: must be between 1s and 5m");
        }

        var main = Manifests(file, "manifests", fields.String("manifests", required: true) ?? "", errors);
        var variants = new List<ScenarioVariant>();
        foreach (var v in fields.List("variants"))
        {
            v.AllowOnly("name", "manifests");
            var variantName = v.String("name", required: true) ?? "";
            if (variantName.Length > 0 && !VariantName().IsMatch(variantName))
            {
                errors.Add($"{v.Where("name")}: \"{variantName}\" must be lower-case letters, digits and dashes (a report folder is named after it)");
            }

            var added = Manifests(file, $"variants[{variants.Count}].manifests", v.String("manifests", required: true) ?? "", errors);
            variants.Add(new ScenarioVariant(variantName, added.NodePools, added.NodeClasses, added.Budgets, added.ConfigMaps));
        }

        foreach (var duplicate in variants.GroupBy(v => v.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"{file}: variants: {duplicate.Key} is named {duplicate.Count()} times");
        }

        // Each run is the scenario's manifests with one variant's (or alone): each needs a pool and its classes.
        foreach (var (label, run) in variants.Count == 0
            ? [("manifests", main)]
            : variants.Select((v, i) => ($"variants[{i}] ({v.Name}) with manifests", new ManifestSet(
                [.. main.NodePools, .. v.NodePools], [.. main.NodeClasses, .. v.NodeClasses], [], []))))
        {
            Runnable(file, label, run, errors);
        }

        var (pools, classes, budgets) = (main.NodePools, main.NodeClasses, main.Budgets);
        var workloads = fields.List("workloads").Select(w => Workload(w, errors)).OfType<WorkloadSpec>().ToList();
        foreach (var duplicate in workloads.GroupBy(w => (w.Namespace, w.Name)).Where(g => g.Count() > 1))
        {
            errors.Add($"{file}: workloads: {duplicate.Key.Namespace}/{duplicate.Key.Name} is defined {duplicate.Count()} times");
        }

        var faults = fields.List("faults").Select(f => Fault(f, duration, errors)).OfType<FaultSpec>().ToList();
        return errors.Count > 0
            ? (null, errors)
            : (new Scenario(name, start, duration, step, seed, pools, classes, budgets, workloads, faults) { ConfigMaps = main.ConfigMaps, Variants = variants }, []);
    }

    /// <summary>What one manifests block held.</summary>
    private sealed record ManifestSet(List<NodePool> NodePools, List<EC2NodeClass> NodeClasses, List<V1PodDisruptionBudget> Budgets, List<V1ConfigMap> ConfigMaps);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex VariantName();

    /// <summary>A run needs a NodePool, and each pool's EC2NodeClass among its manifests.</summary>
    private static void Runnable(string file, string label, ManifestSet set, List<string> errors)
    {
        if (set.NodePools.Count == 0)
        {
            errors.Add($"{file}: {label}: no NodePool");
        }

        foreach (var pool in set.NodePools)
        {
            var className = pool.Spec?.Template?.Spec?.NodeClassRef?.Name;
            if (!set.NodeClasses.Any(c => c.Metadata.Name == className))
            {
                errors.Add($"{file}: {label}: NodePool/{pool.Metadata.Name}: spec.template.spec.nodeClassRef.name: EC2NodeClass \"{className}\" is not among the manifests");
            }
        }
    }

    private static ManifestSet Manifests(string file, string field, string text, List<string> errors)
    {
        var set = new ManifestReader().Read($"{file} ({field})", text);
        errors.AddRange(set.Errors.Select(e => e.ToString()));
        var budgets = new List<V1PodDisruptionBudget>();
        foreach (var skipped in set.Skipped.Where(d => d.Kind != "ConfigMap"))
        {
            if (skipped.Kind == "PodDisruptionBudget")
            {
                var (budget, error) = TypedDocument.Read<V1PodDisruptionBudget>(skipped);
                if (budget is not null)
                {
                    budgets.Add(budget);
                }
                else
                {
                    errors.Add(error!.ToString());
                }
            }
            else
            {
                errors.Add($"{skipped.File}:{skipped.Line}: {skipped.Object}: a scenario's manifests hold NodePools, EC2NodeClasses, PodDisruptionBudgets and the GPU Operator's ConfigMaps only");
            }
        }

        // The GPU Operator's ConfigMaps, read as plan reads them (by content) and checked the same way; it reads the v1
        // ones, whose problems it reports, and this takes them from it in document order.
        var gpuOperator = GpuOperatorInput.From(set.Skipped);
        var read = gpuOperator.Maps.ToDictionary<(ManifestDocument Document, V1ConfigMap Map), ManifestDocument, V1ConfigMap>(m => m.Document, m => m.Map, ReferenceEqualityComparer.Instance);
        var maps = new List<V1ConfigMap>();
        foreach (var document in set.Skipped.Where(d => d.Kind == "ConfigMap"))
        {
            if (read.TryGetValue(document, out var typed))
            {
                maps.Add(typed);
            }
            else if (document.ApiVersion != "v1")
            {
                // Not one plan reads: kept as before, or its reading error.
                var (map, error) = TypedDocument.Read<V1ConfigMap>(document);
                if (map is not null)
                {
                    maps.Add(map);
                }
                else
                {
                    errors.Add(error!.ToString());
                }
            }
        }

        // Two ConfigMaps of one name get their config errors under the first one's document, so the same line can come twice.
        errors.AddRange(gpuOperator.Errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal));
        return new ManifestSet([.. set.NodePools], [.. set.NodeClasses], budgets, maps);
    }

    private static WorkloadSpec? Workload(Fields w, List<string> errors)
    {
        var kind = w.String("kind", required: true);
        var name = w.String("name", required: true) ?? "";
        var ns = w.String("namespace") ?? "default";
        var template = w.Template("template");
        if (kind == "Deployment")
        {
            w.AllowOnly("kind", "name", "namespace", "template", "replicas");
            var replicas = new List<(TimeSpan, int)>();
            foreach (var r in w.List("replicas", required: true))
            {
                r.AllowOnly("at", "count");
                var at = r.Duration("at", required: true) ?? TimeSpan.Zero;
                var count = r.Int("count", required: true) ?? 0;
                if (count is < 0 or > 10_000)
                {
                    errors.Add($"{r.Where("count")}: must be between 0 and 10000");
                }

                if (replicas.Count > 0 && at <= replicas[^1].Item1)
                {
                    errors.Add($"{r.Where("at")}: offsets must increase");
                }

                replicas.Add((at, count));
            }

            return template is null ? null : new WorkloadSpec(kind, ns, name, template, replicas, TimeSpan.Zero, 0, TimeSpan.Zero);
        }

        if (kind == "Job")
        {
            w.AllowOnly("kind", "name", "namespace", "template", "start", "parallelism", "runFor");
            var start = w.Duration("start") ?? TimeSpan.Zero;
            var parallelism = w.Int("parallelism", required: true) ?? 0;
            var runFor = w.Duration("runFor", required: true) ?? TimeSpan.Zero;
            if (parallelism is < 1 or > 10_000)
            {
                errors.Add($"{w.Where("parallelism")}: must be between 1 and 10000");
            }

            return template is null ? null : new WorkloadSpec(kind, ns, name, template, [], start, parallelism, runFor);
        }

        if (kind is not null)
        {
            errors.Add($"{w.Where("kind")}: \"{kind}\" is not a workload kind; use Deployment or Job");
        }

        return null;
    }

    private static FaultSpec? Fault(Fields f, TimeSpan duration, List<string> errors)
    {
        var kind = f.String("kind", required: true);
        switch (kind)
        {
            case "InsufficientCapacity":
                f.AllowOnly("kind", "instanceType", "instanceFamily", "zone", "capacityType", "from", "to");
                var from = f.Duration("from", required: true) ?? TimeSpan.Zero;
                var to = f.Duration("to", required: true) ?? TimeSpan.Zero;
                if (to <= from)
                {
                    errors.Add($"{f.Where("to")}: must be after from");
                }

                var capacity = f.String("capacityType");
                if (capacity is not null and not ("spot" or "on-demand"))
                {
                    errors.Add($"{f.Where("capacityType")}: \"{capacity}\" is not spot or on-demand");
                }

                return new FaultSpec(kind, from, to, f.String("instanceType"), f.String("instanceFamily"), f.String("zone"), capacity, 0);
            case "SpotInterruption" or "NodeFailure":
                f.AllowOnly("kind", "at", "count");
                var at = f.Duration("at", required: true) ?? TimeSpan.Zero;
                if (at > duration)
                {
                    errors.Add($"{f.Where("at")}: {at} is after the scenario ends ({duration})");
                }

                var count = f.Int("count") ?? 1;
                if (count < 1)
                {
                    errors.Add($"{f.Where("count")}: must be at least 1");
                }

                return new FaultSpec(kind, at, at, null, null, null, null, count);
            case null:
                return null;
            default:
                errors.Add($"{f.Where("kind")}: \"{kind}\" is not a fault kind; use InsufficientCapacity, SpotInterruption or NodeFailure");
                return null;
        }
    }

    private static string Clean(YamlException e)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is printed separately.
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    /// <summary>A mapping being read, with its path for error messages.</summary>
    private sealed class Fields(string file, string path, YamlMappingNode map, List<string> errors)
    {
        public string Where(string key) => $"{file}: {(path.Length == 0 ? "" : path + ".")}{key}";

        public void AllowOnly(params string[] keys)
        {
            foreach (var key in map.Children.Keys.Select(k => (k as YamlScalarNode)?.Value ?? k.ToString()).Where(k => !keys.Contains(k)))
            {
                errors.Add($"{Where(key)}: unknown field; expected one of {string.Join(", ", keys)}");
            }
        }

        public string? String(string key, bool required = false)
        {
            if (Value(key) is not { } value)
            {
                if (required)
                {
                    errors.Add($"{Where(key)}: required");
                }

                return null;
            }

            if (value is YamlScalarNode { Value: { } text })
            {
                return text;
            }

            errors.Add($"{Where(key)}: must be a string, got {(value is YamlSequenceNode ? "a list" : "a mapping")}");
            return null;
        }

        public int? Int(string key, bool required = false) =>
            String(key, required) is { } text
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : Fail<int?>(key, $"\"{text}\" is not an integer from -2147483648 to 2147483647")
                : null;

        public TimeSpan? Duration(string key, bool required = false)
        {
            if (String(key, required) is not { } text)
            {
                return null;
            }

            return KarpenterDuration.TryParse(text, out var value, out var problem)
                ? value ?? Fail<TimeSpan?>(key, "Never is not allowed here")
                : Fail<TimeSpan?>(key, problem.StartsWith("duration", StringComparison.Ordinal) ? problem : $"\"{text}\" is not a duration like 90s, 15m or 1h30m");
        }

        public DateTimeOffset? Time(string key) =>
            String(key) is { } text
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : Fail<DateTimeOffset?>(key, $"\"{text}\" is not an RFC 3339 time")
                : null;

        public IEnumerable<Fields> List(string key, bool required = false)
        {
            if (Value(key) is not { } value)
            {
                if (required)
                {
                    errors.Add($"{Where(key)}: required");
                }

                yield break;
            }

            if (value is not YamlSequenceNode items)
            {
                errors.Add($"{Where(key)}: must be a list");
                yield break;
            }

            for (var i = 0; i < items.Children.Count; i++)
            {
                if (items.Children[i] is YamlMappingNode item)
                {
                    yield return new Fields(file, $"{(path.Length == 0 ? "" : path + ".")}{key}[{i}]", item, errors);
                }
                else
                {
                    errors.Add($"{Where(key)}[{i}]: must be a mapping");
                }
            }
        }

        public V1PodTemplateSpec? Template(string key)
        {
            if (Value(key) is not YamlMappingNode template)
            {
                errors.Add($"{Where(key)}: required: a pod template (metadata, spec)");
                return null;
            }

            var (parsed, error) = TypedDocument.Read<V1PodTemplateSpec>(YamlJson.Write(template));
            if (error is not null)
            {
                errors.Add($"{Where(key)}{(error.Path.Length == 0 ? "" : "." + error.Path)}: {error.Message}");
                return null;
            }

            if (parsed?.Spec?.Containers is not { Count: > 0 })
            {
                errors.Add($"{Where(key)}.spec.containers: required: at least one container");
                return null;
            }

            if (PodChecks.Problem(parsed.Spec) is { } problem)
            {
                errors.Add($"{Where(key)}.{problem}");
                return null;
            }

            return parsed;
        }

        private YamlNode? Value(string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value)
            && !(value is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "" or "~" or "null" or "Null" or "NULL" })
                ? value
                : null;

        private T Fail<T>(string key, string why)
        {
            errors.Add($"{Where(key)}: {why}");
            return default!;
        }
    }
}
