using Amazon.SQS.Model;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Simulation;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>Issue 5's promise: a garbage message on the queue changes nothing but a counter, and leaves the queue.</summary>
public sealed class InterruptionGarbageTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [MotoFact]
    public async Task Reconcile_GarbageAndForeignMessages_ChangeOnlyCounters_AndAreDeleted()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var cluster = new InMemoryCluster(clock);
        var cloud = new InMemoryCloud(BundledCatalog.Load(), clock);
        var instance = await cloud.CreateAsync(new LaunchAttempt("spot-1", "default", "default", "spot",
            [new Core.Scheduling.LaunchOption("g5.xlarge", "us-east-1a", "spot", 0.4)]), CancellationToken.None);
        await cluster.CreateNodeClaimAsync(new NodeClaim
        {
            Metadata = new V1ObjectMeta
            {
                Name = "spot-1",
                Labels = new Dictionary<string, string> { [WellKnownLabels.InstanceType] = "g5.xlarge", [WellKnownLabels.Zone] = "us-east-1a", [WellKnownLabels.CapacityType] = "spot" },
            },
        }, CancellationToken.None);
        await cluster.UpdateNodeClaimStatusAsync("spot-1", new NodeClaimStatus { ProviderID = instance.ProviderId }, CancellationToken.None);

        using var sqs = moto.Sqs();
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"interruption-{Guid.NewGuid():N}" })).QueueUrl;
        string[] garbage =
        [
            "not json at all",
            """{"truncated": """,
            """{"source":"aws.s3","detail-type":"Object Created","detail":{}}""",
            """{"source":"aws.ec2","detail-type":"EC2 Spot Instance Interruption Warning","detail":{}}""",
            """["an","array"]""",
        ];
        foreach (var body in garbage)
        {
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = body });
        }

        // Well-formed, but for an instance this cluster does not own: counted as received, and nothing else.
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = """
            {"version":"0","id":"2","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2","account":"123456789012",
             "time":"2026-11-23T10:00:00Z","region":"us-east-1","resources":["arn:aws:ec2:us-east-1a:instance/i-0someoneelse"],
             "detail":{"instance-id":"i-0someoneelse","instance-action":"terminate"}}
            """ });

        var metrics = new AutoscalerMetrics();
        var context = new ControllerContext(cluster, cloud, clock, new ControllerOptions(), metrics, NullLogger.Instance);
        var controller = new InterruptionController(context, new QueueInterruptionSource(new InterruptionQueue(sqs, url)));
        var before = await cluster.SnapshotAsync(CancellationToken.None);
        async Task<int> LeftAsync()
        {
            var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] });
            return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
        }

        // Until the queue is empty (a receive returns at most ten; an empty one would long-poll for 20 s).
        for (var pass = 0; pass < 5 && await LeftAsync() > 0; pass++)
        {
            await controller.ReconcileAsync(CancellationToken.None);
        }

        // The in-memory cluster hands out the same snapshot until something is written.
        Assert.Same(before, await cluster.SnapshotAsync(CancellationToken.None));
        Assert.Empty(cluster.Events);
        Assert.Equal([instance.ProviderId], (await cloud.ListAsync(CancellationToken.None)).Select(i => i.ProviderId));
        Assert.Empty(context.Unavailable.Snapshot(clock.GetUtcNow()));
        Assert.Equal(garbage.Length, metrics.InterruptionRejected.Value);
        Assert.Equal(1, metrics.InterruptionMessages.WithLabels(nameof(InterruptionKind.SpotInterruption)).Value);
        Assert.Equal(0, await LeftAsync());
    }
}
