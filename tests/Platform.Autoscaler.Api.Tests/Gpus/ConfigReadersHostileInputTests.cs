using k8s.Models;
using Platform.Autoscaler.Api.Gpus;

namespace Platform.Autoscaler.Api.Tests.Gpus;

/// <summary>The GPU Operator config readers on mutated input: every case is a config or errors, never an exception.</summary>
public sealed class ConfigReadersHostileInputTests
{
    private static readonly string[] Texts =
    [
        MigPartedConfig.OperatorDefaults.Render(),
        new DevicePluginConfig(MigStrategies.Mixed, new ReplicatedResources(true, true, [new("nvidia.com/gpu", 4)]), null).Render(),
    ];

    private static readonly string[] Pieces = ["\n", ": ", "- ", "[", "]", "{", "}", "\"", "'", "&a", "*a", "!!int", "null", "-1", "99999999999999999999", "0x1F", "yes", "~", "\t", "+", "..."];

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToList();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0 && at < chars.Count:
                    chars.RemoveRange(at, Math.Min(random.Next(1, 8), chars.Count - at));
                    break;
                case 1:
                    chars.InsertRange(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                default:
                    var lines = new string([.. chars]).Split('\n').ToList();
                    var line = random.Next(lines.Count);
                    lines.Insert(random.Next(lines.Count + 1), lines[line]);
                    chars = [.. string.Join('\n', lines)];
                    break;
            }
        }

        return new string([.. chars]);
    }

    [Fact]
    public void Readers_MutatedConfigs_GiveAConfigOrErrorsNeverAnException() => SeededProperty.Check(1000, random =>
    {
        var text = Mutate(random, Texts[random.Next(Texts.Length)]);
        var (mig, migErrors) = MigPartedConfig.Parse(text, "x");
        var (plugin, pluginErrors) = DevicePluginConfig.Parse(text, "y");
        var config = GpuOperatorConfig.From(
            [new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" }, Data = new Dictionary<string, string> { ["config.yaml"] = text, ["entry"] = text } }],
            GpuOperatorSource.ByContent);
        _ = config.Resolve(new GpuSharingSpec("all-1g.10gb", "entry"));
        return (mig is not null || migErrors.Count > 0) && (plugin is not null || pluginErrors.Count > 0);
    });
}
