using System.Text.Json;

namespace Platform.Infra.Blueprint.Interruption;

/// <summary>The interruption queue: its name, retention, and the four event kinds the autoscaler acts on.</summary>
public static class InterruptionQueue
{
    /// <summary>Messages older than this are stale: a spot warning gives two minutes.</summary>
    public const int MessageRetentionSeconds = 300;

    /// <summary>The queue is named after the cluster, as the autoscaler's default expects.</summary>
    public static string QueueName(string clusterName) => clusterName;

    /// <summary>Spot interruption warnings, rebalance recommendations, instance state changes, scheduled changes.</summary>
    public static IReadOnlyList<InterruptionRule> Rules { get; } =
    [
        Rule("scheduled-change", "AWS Health scheduled changes (maintenance, retirement)", "aws.health", "AWS Health Event"),
        Rule("spot-interruption", "EC2 spot interruption warnings (two minutes' notice)", "aws.ec2", "EC2 Spot Instance Interruption Warning"),
        Rule("rebalance", "EC2 instance rebalance recommendations", "aws.ec2", "EC2 Instance Rebalance Recommendation"),
        Rule("instance-state-change", "EC2 instance state changes (stopping, terminated)", "aws.ec2", "EC2 Instance State-change Notification"),
    ];

    private static InterruptionRule Rule(string name, string description, string source, string detailType) =>
        new(name, description, JsonSerializer.Serialize(new Dictionary<string, string[]>
        {
            ["source"] = [source],
            ["detail-type"] = [detailType],
        }));
}
