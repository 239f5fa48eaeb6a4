using Amazon.SQS;
using Amazon.SQS.Model;

namespace Platform.Autoscaler.Aws.Interruption;

/// <summary>
/// The SQS queue EventBridge feeds with interruption events. A receive long-polls for up to ten messages; messages
/// that are not a supported event are deleted at once and reported as rejected (the caller counts and logs them),
/// so garbage never comes back; supported ones are deleted when the caller acknowledges them after acting.
/// </summary>
public sealed class InterruptionQueue(IAmazonSQS sqs, string queueUrl)
{
    /// <summary>The queue's URL: <paramref name="nameOrUrl"/> itself when it is a URL, else SQS's answer for the name.</summary>
    public static async Task<string> UrlAsync(IAmazonSQS sqs, string nameOrUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentException.ThrowIfNullOrEmpty(nameOrUrl);
        return nameOrUrl.StartsWith("https://", StringComparison.Ordinal) || nameOrUrl.StartsWith("http://", StringComparison.Ordinal)
            ? nameOrUrl
            : (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = nameOrUrl }, cancellationToken).ConfigureAwait(false)).QueueUrl;
    }

    /// <summary>Receives the next batch; waits up to <paramref name="wait"/> for one.</summary>
    public async Task<InterruptionBatch> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = (int)Math.Clamp(wait.TotalSeconds, 0, 20),
        }, cancellationToken).ConfigureAwait(false);
        var messages = new List<(InterruptionMessage, string)>();
        var rejected = new List<string>();
        foreach (var message in response.Messages ?? [])
        {
            var (parsed, error) = InterruptionParser.Parse(message.Body ?? "");
            if (parsed is null)
            {
                rejected.Add($"message {message.MessageId}: {error}");
                await AcknowledgeAsync(message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                messages.Add((parsed, message.ReceiptHandle));
            }
        }

        return new InterruptionBatch(messages, rejected);
    }

    /// <summary>Deletes a handled message.</summary>
    public Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken) =>
        sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = receiptHandle }, cancellationToken);
}
