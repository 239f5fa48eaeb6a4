using Platform.Autoscaler.Aws.Interruption;

namespace Platform.Autoscaler.Aws.Tests.Interruption;

public sealed class InterruptionParserTests
{
    public const string SpotWarning = """
        {"version":"0","id":"1","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2","account":"123456789012",
         "time":"2026-11-23T10:00:00Z","region":"us-east-1","resources":["arn:aws:ec2:us-east-1b:instance/i-0abc"],
         "detail":{"instance-id":"i-0abc","instance-action":"terminate"}}
        """;

    [Fact]
    public void Parse_SpotWarning_ActionableWithInstanceAndTime()
    {
        var (message, error) = InterruptionParser.Parse(SpotWarning);
        Assert.Null(error);
        Assert.Equal(InterruptionKind.SpotInterruption, message!.Kind);
        Assert.Equal(["i-0abc"], message.InstanceIds);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), message.Time);
        Assert.True(message.Actionable);
    }

    [Theory]
    [InlineData("EC2 Instance Rebalance Recommendation", """{"instance-id":"i-1"}""", InterruptionKind.RebalanceRecommendation, false)]
    [InlineData("EC2 Instance State-change Notification", """{"instance-id":"i-1","state":"stopping"}""", InterruptionKind.StateChange, true)]
    [InlineData("EC2 Instance State-change Notification", """{"instance-id":"i-1","state":"running"}""", InterruptionKind.StateChange, false)]
    public void Parse_Ec2Events_KindAndActionability(string detailType, string detail, InterruptionKind kind, bool actionable)
    {
        var (message, _) = InterruptionParser.Parse($$"""{"source":"aws.ec2","detail-type":"{{detailType}}","time":"2026-11-23T10:00:00Z","detail":{{detail}}}""");
        Assert.Equal(kind, message!.Kind);
        Assert.Equal(actionable, message.Actionable);
    }

    [Fact]
    public void Parse_HealthScheduledChange_AllAffectedInstances()
    {
        var (message, _) = InterruptionParser.Parse("""
            {"source":"aws.health","detail-type":"AWS Health Event","time":"2026-11-23T10:00:00Z",
             "detail":{"service":"EC2","eventTypeCategory":"scheduledChange","affectedEntities":[{"entityValue":"i-1"},{"entityValue":"i-2"},{"entityValue":"vol-3"}]}}
            """);
        Assert.Equal(InterruptionKind.ScheduledChange, message!.Kind);
        Assert.Equal(["i-1", "i-2"], message.InstanceIds);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1,2,3]", "not an EventBridge event")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","detail":{}}""", "unsupported event: source aws.s3")]
    [InlineData("""{"source":"aws.ec2","detail-type":"EC2 Spot Instance Interruption Warning"}""", "has no detail")]
    [InlineData("""{"source":"aws.ec2","detail-type":"EC2 Spot Instance Interruption Warning","detail":{"instance-id":""}}""", "names no instance")]
    [InlineData("""{"source":"aws.health","detail-type":"AWS Health Event","detail":{"service":"RDS","eventTypeCategory":"scheduledChange"}}""", "unsupported event")]
    public void Parse_NotAnInterruption_ErrorNotException(string body, string reason)
    {
        var (message, error) = InterruptionParser.Parse(body);
        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = SpotWarning.ToCharArray();
            for (var j = 0; j < random.Next(1, 6); j++)
            {
                mutated[random.Next(mutated.Length)] = (char)random.Next(32, 127);
            }

            _ = InterruptionParser.Parse(new string(mutated)); // must return, whatever the input
        }
    }
}
