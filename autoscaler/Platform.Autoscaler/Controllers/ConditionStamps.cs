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
        return [.. wanted.Select(c => Stamp(c, before.GetValueOrDefault(c.Type!), generation, now))];
    }

    /// <summary><paramref name="wanted"/> with <paramref name="generation"/>, keeping the transition time of <paramref name="previous"/> while the status is the same.</summary>
    public static Condition Stamp(Condition wanted, Condition? previous, long? generation, DateTimeOffset now)
    {
        var stamp = previous is { LastTransitionTime: not null } && previous.Status == wanted.Status
            ? previous.LastTransitionTime
            : now.UtcDateTime;
        return wanted with { ObservedGeneration = generation, LastTransitionTime = stamp };
    }

    /// <summary>Ready over <paramref name="dependents"/>: True when all are, else as the first False, else as the first that is not True.</summary>
    public static Condition ReadyOver(IReadOnlyList<Condition> dependents)
    {
        var blocking = dependents.FirstOrDefault(c => c.Status == "False") ?? dependents.FirstOrDefault(c => c.Status != "True");
        return blocking is null
            ? Condition.True("Ready")
            : new Condition { Type = "Ready", Status = blocking.Status, Reason = blocking.Reason, Message = blocking.Message };
    }
}
