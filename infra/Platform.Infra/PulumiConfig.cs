using Pulumi;

namespace Platform.Infra;

/// <summary>Reads <c>namespace:key</c> from the stack's Pulumi config, objects as JSON (what the blueprint's reader takes).</summary>
internal static class PulumiConfig
{
    public static string? Lookup(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return new Config(key[..colon]).Get(key[(colon + 1)..]);
    }
}
