using Amazon.SQS.Model;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.Interruption;

public sealed class InterruptionQueueTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [MotoFact]
    public async Task Receive_GarbageDeletedAndReported_EventKeptUntilAcknowledged()
    {
        using var sqs = moto.Sqs();
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"interruption-{Guid.NewGuid():N}" })).QueueUrl;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "garbage" });
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = """{"source":"aws.s3","detail-type":"Object Created","detail":{}}""" });
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = InterruptionParserTests.SpotWarning });
        var queue = new InterruptionQueue(sqs, url);

        var batch = await queue.ReceiveAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(2, batch.Rejected.Count);
        var (message, receipt) = Assert.Single(batch.Messages);
        Assert.Equal(["i-0abc"], message.InstanceIds);

        await queue.AcknowledgeAsync(receipt, CancellationToken.None);
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] });
        Assert.Equal(0, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
    }
}
