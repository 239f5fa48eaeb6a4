using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Platform.Autoscaler.Api.Validation;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// The MIG manager's config (mig-parted's <c>version: v1</c> file with its <c>mig-configs</c>), as the GPU Operator
/// keeps it in a ConfigMap under <c>config.yaml</c>: the named layouts a node's <c>nvidia.com/mig.config</c> label picks.
/// </summary>
/// <param name="Layouts">The layouts by name.</param>
public sealed record MigPartedConfig(ImmutableSortedDictionary<string, MigLayout> Layouts)
{
    /// <summary>The ConfigMap key the MIG manager reads.</summary>
    public const string ConfigMapKey = "config.yaml";

    private static readonly string[] TopFields = ["version", "mig-configs"];
    private static readonly string[] SpecFields = ["device-filter", "devices", "mig-enabled", "mig-devices"];

    /// <summary>
    /// The layouts of the GPU Operator's default MIG manager config (v25.3.2, used when no other is configured):
    /// all-disabled, all-enabled, all-&lt;profile&gt; with as many instances of the profile as each GPU takes (limited to
    /// the models that have it) and all-balanced (two of the smallest 1g, one 2g and, on seven-slice GPUs, one 3g).
    /// </summary>
    public static MigPartedConfig OperatorDefaults { get; } = BuildDefaults();

    /// <summary>Value equality over the layouts.</summary>
    public bool Equals(MigPartedConfig? other) => other is not null && Layouts.SequenceEqual(other.Layouts);

    /// <inheritdoc />
    public override int GetHashCode() => Layouts.Count;

    /// <summary>
    /// Reads a config file; every problem is an error under <paramref name="path"/>. A layout with a mistake is left out
    /// (the others are kept); a file whose version or shape is wrong gives no config.
    /// </summary>
    public static (MigPartedConfig? Config, IReadOnlyList<FieldError> Errors) Parse(string text, string path)
    {
        var fields = new YamlFields(path);
        if (fields.Parse(text) is not { } root)
        {
            return (null, fields.Errors);
        }

        var layouts = ImmutableSortedDictionary.CreateBuilder<string, MigLayout>(StringComparer.Ordinal);
        var sawVersion = false;
        foreach (var (key, value) in fields.Entries(root, path, TopFields))
        {
            var at = FieldPath.Child(path, key);
            if (key == "version")
            {
                sawVersion = true;
                if (fields.String(value, at) is { } version && version != "v1")
                {
                    fields.Error(at, $"must be v1, got {version}");
                }
            }
            else if (fields.Mapping(value, at) is { } configs)
            {
                foreach (var (name, layout) in fields.Entries(configs, at))
                {
                    var layoutPath = FieldPath.Child(at, name);
                    if (fields.Sequence(layout, layoutPath) is not { } specs)
                    {
                        continue;
                    }

                    var before = fields.Errors.Count;
                    var read = specs.Children.Select((spec, i) => Spec(fields, spec, FieldPath.Index(layoutPath, i))).ToList();
                    if (fields.Errors.Count == before)
                    {
                        layouts[name] = new MigLayout(name, [.. read.OfType<MigDeviceSpec>()]);
                    }
                }
            }
        }

        if (!sawVersion)
        {
            fields.Error(FieldPath.Child(path, "version"), "required (v1)");
        }

        // A layout with a mistake is left out and reported; the others stay usable, as pools naming them are fine.
        var unreadable = fields.Errors.Any(e => !e.Path.StartsWith(FieldPath.Child(path, "mig-configs") + ".", StringComparison.Ordinal));
        return (unreadable ? null : new MigPartedConfig(layouts.ToImmutable()), fields.Errors);
    }

    private static MigDeviceSpec? Spec(YamlFields fields, YamlNode node, string path)
    {
        if (fields.Mapping(node, path) is not { } mapping)
        {
            return null;
        }

        ImmutableArray<string> filter = [];
        ImmutableArray<int>? devices = null;
        bool? enabled = null;
        var instances = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var sawDevices = false;
        foreach (var (key, value) in fields.Entries(mapping, path, SpecFields))
        {
            var at = FieldPath.Child(path, key);
            switch (key)
            {
                case "device-filter":
                    filter = value is YamlSequenceNode ids
                        ? [.. ids.Children.Select((id, i) => fields.String(id, FieldPath.Index(at, i))).OfType<string>()]
                        : fields.String(value, at) is { Length: > 0 } one ? [one] : [];
                    break;
                case "devices":
                    sawDevices = true;
                    if (value is YamlSequenceNode indices)
                    {
                        devices = [.. indices.Children.Select((d, i) => fields.Integer(d, FieldPath.Index(at, i), 0, 1023)).OfType<int>()];
                    }
                    else if (fields.String(value, at) is { } all && all != "all")
                    {
                        fields.Error(at, $"must be \"all\" or a list of GPU indices, got \"{all}\"");
                    }

                    break;
                case "mig-enabled":
                    enabled = fields.Boolean(value, at);
                    break;
                case "mig-devices":
                    if (fields.Mapping(value, at) is { } counts)
                    {
                        foreach (var (profile, count) in fields.Entries(counts, at))
                        {
                            if (fields.Integer(count, FieldPath.Key(at, profile), 0, 7) is { } n)
                            {
                                instances[profile] = n;
                            }
                        }
                    }

                    break;
            }
        }

        if (!sawDevices)
        {
            fields.Error(FieldPath.Child(path, "devices"), "required (\"all\" or a list of GPU indices)");
        }

        if (enabled is null && YamlFields.Child(mapping, "mig-enabled") is null)
        {
            fields.Error(FieldPath.Child(path, "mig-enabled"), "required");
        }

        if (enabled == false && instances.Count > 0)
        {
            fields.Error(FieldPath.Child(path, "mig-devices"), "must be empty when mig-enabled is false");
        }

        return enabled is { } on ? new MigDeviceSpec(filter, devices, on, instances.ToImmutable()) : null;
    }

    /// <summary>The config as mig-parted's YAML, layouts and profiles in name order.</summary>
    public string Render()
    {
        var text = new StringBuilder("version: v1\nmig-configs:\n");
        foreach (var layout in Layouts.Values)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {layout.Name}:\n");
            foreach (var spec in layout.Specs)
            {
                var first = true;
                string Lead()
                {
                    var lead = first ? "    - " : "      ";
                    first = false;
                    return lead;
                }

                if (!spec.DeviceFilter.IsDefaultOrEmpty)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{Lead()}device-filter: [{string.Join(", ", spec.DeviceFilter.Select(id => $"\"{id}\""))}]\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{Lead()}devices: {(spec.Devices is { } d ? $"[{string.Join(", ", d)}]" : "all")}\n");
                text.Append(CultureInfo.InvariantCulture, $"{Lead()}mig-enabled: {(spec.MigEnabled ? "true" : "false")}\n");
                if (spec.MigEnabled)
                {
                    text.Append(spec.MigDevices.Count == 0 ? "      mig-devices: {}\n" : "      mig-devices:\n");
                    foreach (var (profile, count) in spec.MigDevices)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"        \"{profile}\": {count}\n");
                    }
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The name mig-parted's defaults give the layout of one profile on every GPU: all-1g.10gb, all-1g.10gb.me.</summary>
    public static string AllOf(string profile) => "all-" + profile.Replace('+', '.');

    /// <summary>The name of the balanced layout.</summary>
    public const string AllBalanced = "all-balanced";

    /// <summary>The layout that turns MIG off (the MIG manager's default).</summary>
    public const string AllDisabled = "all-disabled";

    private static MigPartedConfig BuildDefaults()
    {
        var models = GpuModels.All.Where(m => m.SupportsMig && m.InOperatorDefaults).ToList();
        var layouts = ImmutableSortedDictionary.CreateBuilder<string, MigLayout>(StringComparer.Ordinal);
        layouts[AllDisabled] = new MigLayout(AllDisabled, [MigDeviceSpec.Disabled]);
        layouts["all-enabled"] = new MigLayout("all-enabled", [MigDeviceSpec.Partition(new Dictionary<string, int>())]);
        foreach (var profile in models.SelectMany(m => m.Profiles.Select(p => p.Name)).Distinct())
        {
            var name = AllOf(profile);
            layouts[name] = new MigLayout(name,
            [
                .. models.Where(m => m.Profile(profile) is not null)
                    .Select(m => MigDeviceSpec.Partition(new Dictionary<string, int> { [profile] = m.Profile(profile)!.MaxInstances }, m.PciDeviceId!)),
            ]);
        }

        layouts[AllBalanced] = new MigLayout(AllBalanced, [.. models.Select(m => MigDeviceSpec.Partition(Balanced(m), m.PciDeviceId!))]);
        return new MigPartedConfig(layouts.ToImmutable());
    }

    /// <summary>
    /// mig-parted's balanced formula (pkg/mig/builder/balanced.go): per compute-slice count, the base profile with the
    /// most instances; two 1g, one 2g and, on seven-slice GPUs, one 3g.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Balanced(GpuModel model)
    {
        var formula = model.ComputeSlots == 7 ? new Dictionary<int, int> { [1] = 2, [2] = 1, [3] = 1 } : new Dictionary<int, int> { [1] = 2, [2] = 1 };
        return formula.ToDictionary(
            f => model.Profiles.Where(p => p.ComputeSlices == f.Key && !p.MediaExtensions).MaxBy(p => p.MaxInstances)!.Name,
            f => f.Value,
            StringComparer.Ordinal);
    }
}
