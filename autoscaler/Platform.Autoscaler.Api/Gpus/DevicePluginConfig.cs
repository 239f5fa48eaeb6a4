using System.Globalization;
using System.Text;
using Platform.Autoscaler.Api.Validation;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// One entry of the device plugin's config (k8s-device-plugin api/config/v1 at v0.17.3, the plugin gpu-operator
/// v25.3.2 runs), as far as it decides what a node advertises: the MIG strategy and the time-slicing or MPS sharing.
/// A node runs the entry its <c>nvidia.com/device-plugin.config</c> label names, else the config's default.
/// </summary>
/// <param name="MigStrategy"><c>flags.migStrategy</c>; null leaves the cluster's (the chart's <c>mig.strategy</c>).</param>
/// <param name="TimeSlicing"><c>sharing.timeSlicing</c>, or null.</param>
/// <param name="Mps"><c>sharing.mps</c>, or null.</param>
public sealed record DevicePluginConfig(string? MigStrategy, ReplicatedResources? TimeSlicing, ReplicatedResources? Mps)
{
    private static readonly string[] TopFields = ["version", "flags", "resources", "sharing", "imex"];
    private static readonly string[] SharingFields = ["timeSlicing", "mps"];
    private static readonly string[] ReplicatedFields = ["renameByDefault", "failRequestsGreaterThanOne", "resources"];
    private static readonly string[] ResourceFields = ["name", "rename", "devices", "replicas"];

    /// <summary>The sharing in force: MPS when it replicates, else time-slicing (the plugin's SharingStrategy()).</summary>
    public ReplicatedResources? Sharing => Mps is { } mps && mps.Resources.Any(r => r.Replicas > 1) ? mps
        : TimeSlicing is { } slicing && slicing.Resources.Any(r => r.Replicas > 1) ? slicing : null;

    /// <summary>Whole GPUs with the given MIG strategy, nothing shared.</summary>
    public static DevicePluginConfig Strategy(string migStrategy) => new(migStrategy, null, null);

    /// <summary>Reads one entry; every problem is an error under <paramref name="path"/>.</summary>
    public static (DevicePluginConfig? Config, IReadOnlyList<FieldError> Errors) Parse(string text, string path)
    {
        var fields = new YamlFields(path);
        if (fields.Parse(text) is not { } root)
        {
            return (null, fields.Errors);
        }

        string? strategy = null;
        ReplicatedResources? timeSlicing = null, mps = null;
        var sawVersion = false;
        foreach (var (key, value) in fields.Entries(root, path, TopFields))
        {
            var at = FieldPath.Child(path, key);
            switch (key)
            {
                case "version":
                    sawVersion = true;
                    if (fields.String(value, at) is { } version && version != "v1")
                    {
                        fields.Error(at, $"must be v1, got {version}");
                    }

                    break;
                case "flags":
                    // The plugin's other flags (driver root, device list strategy ...) do not change what a node advertises.
                    if (fields.Mapping(value, at) is { } flags && YamlFields.Child(flags, "migStrategy") is { } migStrategy)
                    {
                        var strategyPath = FieldPath.Child(at, "migStrategy");
                        strategy = fields.String(migStrategy, strategyPath);
                        if (strategy is not null && !MigStrategies.All.Contains(strategy))
                        {
                            fields.Error(strategyPath, $"must be one of {string.Join(", ", MigStrategies.All)}, got {strategy}");
                        }
                    }

                    break;
                case "resources":
                    fields.Error(at, "custom resource names are not modelled: the autoscaler plans with the plugin's default names (nvidia.com/gpu, nvidia.com/mig-<profile>)");
                    break;
                case "sharing":
                    if (fields.Mapping(value, at) is { } sharing)
                    {
                        foreach (var (kind, replicated) in fields.Entries(sharing, at, SharingFields))
                        {
                            var read = Replicated(fields, replicated, FieldPath.Child(at, kind));
                            if (kind == "timeSlicing")
                            {
                                timeSlicing = read;
                            }
                            else
                            {
                                mps = read;
                            }
                        }
                    }

                    break;
            }
        }

        if (!sawVersion)
        {
            fields.Error(FieldPath.Child(path, "version"), "required (v1)");
        }

        if (mps is { } shared && strategy == MigStrategies.Mixed && shared.Resources.Any(r => r.Replicas > 1))
        {
            fields.Error(FieldPath.Child(path, "sharing.mps"), "the device plugin does not run MPS with migStrategy mixed");
        }

        return (fields.Errors.Count == 0 ? new DevicePluginConfig(strategy, timeSlicing, mps) : null, fields.Errors);
    }

    private static ReplicatedResources? Replicated(YamlFields fields, YamlNode node, string path)
    {
        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        // Only errors inside this section excuse an empty resource list (its entries were refused), not errors elsewhere.
        var before = fields.Errors.Count;
        bool rename = false, failMany = false;
        var resources = new List<ReplicatedResource>();
        var sawResources = false;
        foreach (var (key, value) in fields.Entries(mapping, path, ReplicatedFields))
        {
            var at = FieldPath.Child(path, key);
            switch (key)
            {
                case "renameByDefault":
                    rename = fields.Boolean(value, at) ?? false;
                    break;
                case "failRequestsGreaterThanOne":
                    failMany = fields.Boolean(value, at) ?? false;
                    break;
                case "resources":
                    sawResources = true;
                    if (fields.Sequence(value, at) is { } list)
                    {
                        for (var i = 0; i < list.Children.Count; i++)
                        {
                            if (Resource(fields, list.Children[i], FieldPath.Index(at, i)) is { } resource)
                            {
                                resources.Add(resource);
                            }
                        }
                    }

                    break;
            }
        }

        if (!sawResources || resources.Count == 0 && fields.Errors.Count == before)
        {
            // The plugin refuses a sharing section without resources ("no resources specified").
            fields.Error(FieldPath.Child(path, "resources"), "required: at least one resource to share");
        }

        foreach (var duplicate in resources.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            fields.Error(FieldPath.Child(path, "resources"), $"{duplicate.Key} is listed {duplicate.Count()} times");
        }

        return new ReplicatedResources(rename, failMany, [.. resources]);
    }

    private static ReplicatedResource? Resource(YamlFields fields, YamlNode node, string path)
    {
        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        string? name = null;
        int? replicas = null;
        foreach (var (key, value) in fields.Entries(mapping, path, ResourceFields))
        {
            var at = FieldPath.Child(path, key);
            switch (key)
            {
                case "name":
                    name = fields.String(value, at) is { } n ? (n.Contains('/', StringComparison.Ordinal) ? n : "nvidia.com/" + n) : null;
                    if (name is not null && name != WellKnownResources.NvidiaGpu && !name.StartsWith(MigProfile.ResourcePrefix, StringComparison.Ordinal))
                    {
                        fields.Error(at, $"must be nvidia.com/gpu or nvidia.com/mig-<profile>, got {name}");
                        name = null;
                    }

                    break;
                case "replicas":
                    replicas = fields.Integer(value, at, 1, 1024);
                    break;
                case "rename":
                    fields.Error(at, "the device plugin ignores a per-resource rename (it is \"not yet supported\"); use renameByDefault");
                    break;
                case "devices":
                    if (value is not YamlScalarNode { Value: "all" })
                    {
                        fields.Error(at, "the device plugin shares all devices whatever this says (\"not yet supported\"); leave it out or set all");
                    }

                    break;
            }
        }

        if (YamlFields.Child(mapping, "name") is null)
        {
            fields.Error(FieldPath.Child(path, "name"), "required");
        }

        if (YamlFields.Child(mapping, "replicas") is null)
        {
            fields.Error(FieldPath.Child(path, "replicas"), "required");
        }

        return name is not null && replicas is { } count ? new ReplicatedResource(name, count) : null;
    }

    /// <summary>The entry as the device plugin's YAML.</summary>
    public string Render()
    {
        var text = new StringBuilder("version: v1\n");
        if (MigStrategy is { } strategy)
        {
            text.Append(CultureInfo.InvariantCulture, $"flags:\n  migStrategy: {strategy}\n");
        }

        if (TimeSlicing is null && Mps is null)
        {
            return text.ToString();
        }

        text.Append("sharing:\n");
        foreach (var (key, shared) in new[] { ("timeSlicing", TimeSlicing), ("mps", Mps) })
        {
            if (shared is null)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"  {key}:\n");
            if (shared.RenameByDefault)
            {
                text.Append("    renameByDefault: true\n");
            }

            if (shared.FailRequestsGreaterThanOne)
            {
                text.Append("    failRequestsGreaterThanOne: true\n");
            }

            text.Append("    resources:\n");
            foreach (var resource in shared.Resources)
            {
                text.Append(CultureInfo.InvariantCulture, $"      - name: {resource.Name}\n        replicas: {resource.Replicas}\n");
            }
        }

        return text.ToString();
    }
}
