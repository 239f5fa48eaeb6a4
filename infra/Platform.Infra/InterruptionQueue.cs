using Platform.Infra.Blueprint.Iam;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Sqs;
using Rules = Platform.Infra.Blueprint.Interruption.InterruptionQueue;

namespace Platform.Infra;

/// <summary>The SQS queue (SSE on) the autoscaler reads interruptions from, its policy, and the four EventBridge rules.</summary>
public sealed class InterruptionQueue : ComponentResource
{
    public InterruptionQueue(string name, InterruptionQueueArgs args, ComponentResourceOptions? options = null)
        : base("platform:aws:InterruptionQueue", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        var queue = new Queue(name, new QueueArgs
        {
            Name = args.QueueName,
            MessageRetentionSeconds = Rules.MessageRetentionSeconds,
            SqsManagedSseEnabled = true,
            Tags = args.Tags.ToDictionary(),
        }, child);
        _ = new QueuePolicy(name, new QueuePolicyArgs
        {
            QueueUrl = queue.Url,
            Policy = queue.Arn.Apply(arn => IamPolicies.InterruptionQueuePolicy(arn).ToJson()),
        }, child);

        foreach (var rule in Rules.Rules)
        {
            var eventRule = new EventRule($"{name}-{rule.Name}", new EventRuleArgs
            {
                Name = $"{args.QueueName}-{rule.Name}",
                Description = rule.Description,
                EventPattern = rule.EventPattern,
                Tags = args.Tags.ToDictionary(),
            }, child);
            _ = new EventTarget($"{name}-{rule.Name}", new EventTargetArgs
            {
                Rule = eventRule.Name,
                Arn = queue.Arn,
                TargetId = "interruption-queue",
            }, child);
        }

        Arn = queue.Arn;
        Url = queue.Url;
        RegisterOutputs(new Dictionary<string, object?> { ["arn"] = Arn, ["url"] = Url });
    }

    [Output("arn")]
    public Output<string> Arn { get; private set; }

    [Output("url")]
    public Output<string> Url { get; private set; }
}
