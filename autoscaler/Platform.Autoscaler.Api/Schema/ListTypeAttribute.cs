namespace Platform.Autoscaler.Api;

/// <summary>
/// <c>x-kubernetes-list-type</c>: atomic (replaced whole by server-side apply), set (no duplicates) or map (one
/// item per <paramref name="mapKeys"/> tuple).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type, params string[] mapKeys) : Attribute
{
    /// <summary>atomic, set or map.</summary>
    public string Type { get; } = type;

    /// <summary>The keys of a map list.</summary>
    public IReadOnlyList<string> MapKeys { get; } = mapKeys;
}
