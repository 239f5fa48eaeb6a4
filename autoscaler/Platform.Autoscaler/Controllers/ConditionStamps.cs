using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Status conditions as Karpenter's condition sets write them: stamped with the generation they were computed for, a
/// transition time that holds while the status does, and a Ready condition over the dependents.
/// </summary>
internal static class ConditionStamps
{
    /// <summary>
    /// <paramref name="wanted"/> with <paramref name="generation"/> and transition times: a condition whose status is as
    /// in <paramref name="previous"/> keeps its time, any other gets <paramref name="now"/>.
    /// </summary>
    public static List<Condition> Stamp(IEnumerable<Condition> wanted, IEnumerable<Condition>? previous, long? generation, DateTimeOffset now)
    {
        var before = (previous ?? []).Where(c => c.Type is not null).GroupBy(c => c.Type!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. wanted.Select(c =>
        {
            var stamp = before.TryGetValue(c.Type!, out var old) && old.Status == c.Status && old.LastTransitionTime is not null
                ? old.LastTransitionTime
                : now.UtcDateTime;
            return c with { ObservedGeneration = generation, LastTransitionTime = stamp };
        })];
    }

    /// <summary>Ready over <paramref name="dependents"/>: True when all are, else as the first False, else as the first that is not True.</summary>
    public static Condition ReadyOver(IReadOnlyList<Condition> dependents)
    {
        var blocking = dependents.FirstOrDefault(c => c.Status == "False") ?? dependents.FirstOrDefault(c => c.Status != "True");
        return blocking is null
            ? new Condition { Type = "Ready", Status = "True", Reason = "Ready", Message = "" }
            : new Condition { Type = "Ready", Status = blocking.Status, Reason = blocking.Reason, Message = blocking.Message };
    }

    /// <summary>A True condition, its reason its type (the API requires one).</summary>
    public static Condition True(string type) => new() { Type = type, Status = "True", Reason = type, Message = "" };

    /// <summary>A False condition.</summary>
    public static Condition False(string type, string reason, string message) => new() { Type = type, Status = "False", Reason = reason, Message = message };
}
