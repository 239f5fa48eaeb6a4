namespace Platform.Autoscaler.Aws.Interruption;

/// <summary>The EventBridge events the interruption queue carries.</summary>
public enum InterruptionKind
{
    /// <summary>EC2 Spot Instance Interruption Warning: the instance goes in two minutes.</summary>
    SpotInterruption,
    /// <summary>EC2 Instance Rebalance Recommendation: elevated risk of interruption.</summary>
    RebalanceRecommendation,
    /// <summary>EC2 Instance State-change Notification (stopping, stopped, shutting-down, terminated).</summary>
    StateChange,
    /// <summary>AWS Health scheduled change for EC2 instances (retirement, maintenance).</summary>
    ScheduledChange,
}
