using System.Globalization;
using System.Text.Json;

namespace Platform.Infra.Blueprint.Settings;

/// <summary>
/// One structured config value being read: typed getters that record an error (naming the full key) instead of
/// throwing, so a reader reports every problem at once, and a check for keys nobody asked for (typos).
/// </summary>
internal sealed class ConfigSection(string path, JsonElement? value, List<string> errors)
{
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public string Path => path;

    public bool Exists => value is { ValueKind: JsonValueKind.Object };

    public string String(string name, string? fallback = null)
    {
        if (!TryGet(name, out var e))
        {
            return fallback ?? Missing(name, "");
        }

        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            _ => Invalid(name, $"expected a string, got {Describe(e)}", fallback ?? ""),
        };
    }

    public int Int(string name, int? fallback = null)
    {
        if (!TryGet(name, out var e))
        {
            return fallback ?? Missing(name, 0);
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n))
        {
            return n;
        }

        return e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)
            ? n
            : Invalid(name, $"expected a whole number, got {Describe(e)}", fallback ?? 0);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, out var e))
        {
            return fallback;
        }

        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(e.GetString(), out var b) => b,
            _ => Invalid(name, $"expected true or false, got {Describe(e)}", fallback),
        };
    }

    public ConfigSection Section(string name, bool required = true)
    {
        if (!TryGet(name, out var e))
        {
            if (required)
            {
                errors.Add($"{Key(name)}: required");
            }

            return new ConfigSection(Key(name), null, errors);
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{Key(name)}: expected an object, got {Describe(e)}");
            return new ConfigSection(Key(name), null, errors);
        }

        return new ConfigSection(Key(name), e, errors);
    }

    /// <summary>Reports every key that no getter asked for: a typo would otherwise fall back to a default.</summary>
    public void RejectUnknownKeys()
    {
        if (!Exists)
        {
            return;
        }

        foreach (var property in value!.Value.EnumerateObject().Where(p => !read.Contains(p.Name)))
        {
            errors.Add($"{Key(property.Name)}: unknown key; known keys: {string.Join(", ", read.Order(StringComparer.Ordinal))}");
        }
    }

    public void Error(string name, string reason) => errors.Add($"{Key(name)}: {reason}");

    /// <summary>Reports <paramref name="name"/> as no longer read, with why, when it is present.</summary>
    public void Removed(string name, string reason)
    {
        if (TryGet(name, out _))
        {
            errors.Add($"{Key(name)}: no longer read: {reason}");
        }
    }

    private bool TryGet(string name, out JsonElement element)
    {
        read.Add(name);
        element = default;
        return Exists && value!.Value.TryGetProperty(name, out element) && element.ValueKind != JsonValueKind.Null;
    }

    private string Key(string name) => $"{path}.{name}";

    private T Missing<T>(string name, T placeholder)
    {
        errors.Add($"{Key(name)}: required");
        return placeholder;
    }

    private T Invalid<T>(string name, string reason, T placeholder)
    {
        errors.Add($"{Key(name)}: {reason}");
        return placeholder;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => e.GetRawText(),
    };
}
