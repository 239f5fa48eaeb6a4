using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Tests.TestKit;

/// <summary>The repository's stack files, read as the Pulumi program reads them.</summary>
internal static class Stacks
{
    public static TheoryData<string> Names => new() { "dev", "prod" };

    public static IReadOnlyDictionary<string, string> Config(string stack) =>
        StackConfigFile.Parse(File.ReadAllText(Path.Combine(Repo.Root, $"Pulumi.{stack}.yaml")));

    public static StackSettings Settings(string stack) => SettingsReader.Read(stack, StackConfigFile.Lookup(Config(stack)));

    /// <summary>The stack's config with some keys replaced (null removes one).</summary>
    public static Func<string, string?> With(string stack, params (string Key, string? Value)[] changes)
    {
        var config = new Dictionary<string, string>(Config(stack));
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value;
            }
        }

        return StackConfigFile.Lookup(config);
    }
}
