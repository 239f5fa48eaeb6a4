namespace Platform.Autoscaler.Api;

/// <summary>Taint effects.</summary>
public static class TaintEffects
{
    /// <summary>Pods that do not tolerate the taint are not scheduled.</summary>
    public const string NoSchedule = "NoSchedule";
    /// <summary>The scheduler avoids the node for pods that do not tolerate the taint.</summary>
    public const string PreferNoSchedule = "PreferNoSchedule";
    /// <summary>Pods that do not tolerate the taint are evicted.</summary>
    public const string NoExecute = "NoExecute";
}
