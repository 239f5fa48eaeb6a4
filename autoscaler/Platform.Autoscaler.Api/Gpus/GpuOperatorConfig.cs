using System.Collections.Immutable;
using k8s.Models;
using Platform.Autoscaler.Api.Validation;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// What the GPU Operator makes of a node's sharing labels: the MIG manager's layouts and the device plugin's config
/// entries, read from the operator's ConfigMaps (the operator's default layouts when there is no MIG ConfigMap), with
/// the default entry and MIG strategy. The autoscaler reads them as the operator does, so it plans for the resources
/// the nodes will advertise.
/// </summary>
/// <param name="Mig">The MIG manager's layouts.</param>
/// <param name="MigSource">Where they came from, for messages.</param>
/// <param name="DevicePlugin">The device plugin's entries by name.</param>
/// <param name="DevicePluginSource">Where they came from, for messages.</param>
/// <param name="DefaultDevicePluginConfig">The entry of nodes without the label, or null.</param>
/// <param name="DefaultMigStrategy">The strategy of entries that set none.</param>
public sealed record GpuOperatorConfig(
    MigPartedConfig Mig, string MigSource, ImmutableSortedDictionary<string, DevicePluginConfig> DevicePlugin, string DevicePluginSource,
    string? DefaultDevicePluginConfig, string DefaultMigStrategy)
{
    private const string OperatorDefaultsSource = "the GPU Operator's default MIG layouts (v25.3.2)";
    private const string NoDevicePluginConfig = "no device plugin config";

    /// <summary>Problems in the ConfigMaps; a ConfigMap that does not read counts as absent.</summary>
    public ImmutableArray<ConfigMapError> Errors { get; init; } = [];

    /// <summary>No ConfigMaps: the operator's default layouts, no device plugin entries, the single strategy.</summary>
    public static GpuOperatorConfig Defaults { get; } = new(MigPartedConfig.OperatorDefaults, OperatorDefaultsSource,
        ImmutableSortedDictionary<string, DevicePluginConfig>.Empty, NoDevicePluginConfig, null, MigStrategies.Single);

    /// <summary>
    /// Reads the operator's ConfigMaps among <paramref name="configMaps"/>: by the names the settings give (in their
    /// namespace), or, where a name is not given, by content.
    /// </summary>
    public static GpuOperatorConfig From(IEnumerable<V1ConfigMap> configMaps, GpuOperatorSource settings)
    {
        // A value YAML wrote as null reads as empty, as the API server stores it.
        var all = configMaps.Where(c => c.Metadata?.Name is not null && c.Data is { Count: > 0 })
            .Select(c => c.Data.Values.Any(v => v is null) ? new V1ConfigMap { Metadata = c.Metadata, Data = c.Data.ToDictionary(d => d.Key, d => d.Value ?? "") } : c)
            .ToList();
        var errors = new List<ConfigMapError>();

        // Each map's kind is read from its YAML at most once, and only when a config is found by content.
        var kinds = new Dictionary<V1ConfigMap, ConfigMapKind>(ReferenceEqualityComparer.Instance);
        ConfigMapKind Kind(V1ConfigMap map) => kinds.TryGetValue(map, out var kind) ? kind : kinds[map] = KindOf(map);

        // The one map of a kind: by the name the settings give, else by content; several is an error on each.
        V1ConfigMap? Single(string? name, ConfigMapKind kind, string what)
        {
            var maps = name is not null ? all.Where(c => Named(c, settings.Namespace, name)).ToList() : all.Where(c => Kind(c) == kind).ToList();
            if (maps.Count > 1)
            {
                errors.AddRange(maps.Select(c => Error(c, "", $"one of {maps.Count} {what} ({string.Join(", ", maps.Select(m => m.Metadata.Name))}); the autoscaler cannot tell which the operator uses: pass its name")));
                return null;
            }

            return maps.SingleOrDefault();
        }

        var (mig, migSource) = (MigPartedConfig.OperatorDefaults, OperatorDefaultsSource);
        if (Single(settings.MigConfigMap, ConfigMapKind.MigParted, "MIG manager configs") is { } migMap)
        {
            if (!migMap.Data.TryGetValue(MigPartedConfig.ConfigMapKey, out var text))
            {
                errors.Add(Error(migMap, "data", $"has no {MigPartedConfig.ConfigMapKey}, the key the MIG manager reads"));
            }
            else
            {
                var (read, problems) = MigPartedConfig.Parse(text, FieldPath.Key("data", MigPartedConfig.ConfigMapKey));
                errors.AddRange(problems.Select(p => new ConfigMapError(migMap.Metadata.NamespaceProperty ?? "", migMap.Metadata.Name, p)));
                if (read is not null)
                {
                    (mig, migSource) = (read, $"ConfigMap {Id(migMap)}");
                }
            }
        }

        var entries = ImmutableSortedDictionary.CreateBuilder<string, DevicePluginConfig>(StringComparer.Ordinal);
        var pluginSource = NoDevicePluginConfig;
        if (Single(settings.DevicePluginConfigMap, ConfigMapKind.DevicePlugin, "device plugin configs") is { } pluginMap)
        {
            pluginSource = $"ConfigMap {Id(pluginMap)}";
            foreach (var (name, text) in pluginMap.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                var (entry, problems) = DevicePluginConfig.Parse(text, FieldPath.Key("data", name));
                errors.AddRange(problems.Select(p => new ConfigMapError(pluginMap.Metadata.NamespaceProperty ?? "", pluginMap.Metadata.Name, p)));
                if (entry is not null)
                {
                    entries[name] = entry;
                }
            }
        }

        return new GpuOperatorConfig(mig, migSource, entries.ToImmutable(), pluginSource, settings.DevicePluginDefaultConfig, settings.MigStrategy)
        {
            Errors = [.. errors],
        };
    }

    /// <summary>
    /// The sharing a pool's (or node's) labels ask for, or the errors that say why it cannot be resolved, each under the
    /// label's field path: a layout or config entry the configs do not have, or MIG with a strategy that hides it.
    /// </summary>
    public (GpuSharing? Sharing, IReadOnlyList<FieldError> Errors) Resolve(GpuSharingSpec spec)
    {
        var errors = new List<FieldError>();
        MigLayout? layout = null;
        if (spec.MigConfig is { } layoutName && !Mig.Layouts.TryGetValue(layoutName, out layout))
        {
            errors.Add(new FieldError(FieldPath.Key(GpuSharingSpec.LabelsPath, NvidiaLabels.MigConfig),
                $"MIG layout {layoutName} is not in {MigSource} (it has {Some(Mig.Layouts.Keys)})"));
        }

        DevicePluginConfig? entry = null;
        var entryName = spec.DevicePluginConfig ?? DefaultDevicePluginConfig;
        if (entryName is not null && !DevicePlugin.TryGetValue(entryName, out entry))
        {
            errors.Add(new FieldError(FieldPath.Key(GpuSharingSpec.LabelsPath, NvidiaLabels.DevicePluginConfig),
                DevicePluginSource == NoDevicePluginConfig
                    ? $"device plugin config {entryName} is not defined: there is no device plugin ConfigMap (the GPU Operator chart's devicePlugin.config)"
                    : $"device plugin config {entryName} is not in {DevicePluginSource}{(DevicePlugin.IsEmpty ? "" : $" (it has {Some(DevicePlugin.Keys)})")}"));
        }

        var strategy = entry?.MigStrategy ?? DefaultMigStrategy;
        if (layout is { } chosen && chosen.Specs.Any(s => s.MigEnabled) && strategy == MigStrategies.None)
        {
            errors.Add(new FieldError(FieldPath.Key(GpuSharingSpec.LabelsPath, NvidiaLabels.MigConfig),
                $"layout {chosen.Name} enables MIG, but the device plugin's migStrategy is none{(entryName is null ? "" : $" (config {entryName})")}, so no MIG device would be advertised: use single or mixed"));
        }

        return errors.Count > 0 ? (null, errors) : (new GpuSharing(spec, layout, strategy, entry?.Sharing), errors);
    }

    private static string Some(IEnumerable<string> names)
    {
        var list = names.ToList();
        return string.Join(", ", list.Take(12)) + (list.Count > 12 ? $" and {list.Count - 12} more" : "");
    }

    private static bool Named(V1ConfigMap map, string ns, string name) =>
        map.Metadata?.Name == name && (string.IsNullOrEmpty(map.Metadata.NamespaceProperty) || map.Metadata.NamespaceProperty == ns);

    /// <summary>What a map holds by content: mig-parted's config (its key with mig-configs) wins over device plugin entries.</summary>
    private static ConfigMapKind KindOf(V1ConfigMap map) =>
        map.Data.TryGetValue(MigPartedConfig.ConfigMapKey, out var text) && TopKeys(text) is { } keys && keys.Contains("mig-configs") ? ConfigMapKind.MigParted
        : map.Data.Values.All(value => TopKeys(value) is { } entry && entry.Contains("version") && (entry.Contains("sharing") || entry.Contains("flags"))) ? ConfigMapKind.DevicePlugin
        : ConfigMapKind.Other;

    private enum ConfigMapKind
    {
        Other,
        MigParted,
        DevicePlugin,
    }

    private static HashSet<string>? TopKeys(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Serialization.DocumentParser.ReadDocuments(new StringReader(text)).Take(2).ToList() is [{ RootNode: YamlMappingNode root }]
                ? root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static string Id(V1ConfigMap map) => string.IsNullOrEmpty(map.Metadata.NamespaceProperty) ? map.Metadata.Name : $"{map.Metadata.NamespaceProperty}/{map.Metadata.Name}";

    private static ConfigMapError Error(V1ConfigMap map, string path, string message) =>
        new(map.Metadata.NamespaceProperty ?? "", map.Metadata.Name, new FieldError(path, message));
}
