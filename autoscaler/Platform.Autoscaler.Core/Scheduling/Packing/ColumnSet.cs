namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>The node patterns found so far, each once, in the order found (which keeps every solve reproducible).</summary>
internal sealed class ColumnSet
{
    private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);

    public List<PackingPattern> All { get; } = [];

    public int Count => All.Count;

    /// <summary>Adds the pattern unless it is empty or known; returns its index, or -1 when not added.</summary>
    public int Add(PackingPattern pattern)
    {
        if (pattern.Counts.All(c => c == 0) || !seen.TryAdd(Key(pattern), All.Count))
        {
            return -1;
        }

        All.Add(pattern);
        return All.Count - 1;
    }

    /// <summary>The pattern's index, adding it if new; -1 for an empty pattern.</summary>
    public int IndexOf(PackingPattern pattern) => seen.TryGetValue(Key(pattern), out var index) ? index : Add(pattern);

    private static string Key(PackingPattern pattern) => pattern.Kind + ":" + string.Join(",", pattern.Counts);
}
