using Amazon.EC2;
using Amazon.Runtime;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.Resilience;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Tests.Shared;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Aws.Tests.Resilience;

public sealed class AwsRetryTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static string Error(string code) =>
        $"<Response><Errors><Error><Code>{code}</Code><Message>{code}</Message></Error></Errors><RequestID>test</RequestID></Response>";

    private static Ec2CloudProvider Provider(FaultProxy proxy)
    {
        // The SDK's own retries are off, so every retry seen here is the pipeline's.
        var ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"),
            new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        return new Ec2CloudProvider(ec2, "gpu-test", (_, _) => throw new InvalidOperationException("not used"),
            _ => Task.FromResult(new InstanceCatalog("us-east-1", "test", [])), AwsRetry.Create(TimeProvider.System, attempts: 4, baseDelay: TimeSpan.FromMilliseconds(1)));
    }

    [MotoFact]
    public async Task Throttled_RetriedUntilItPasses()
    {
        using var proxy = new FaultProxy(moto.Endpoint);
        var throttled = 0;
        proxy.Faults["DescribeInstances"] = _ => Interlocked.Increment(ref throttled) <= 2 ? (503, Error("RequestLimitExceeded")) : null;
        var instances = await Provider(proxy).ListAsync(CancellationToken.None);
        Assert.NotNull(instances);
        Assert.Equal(3, proxy.Actions.Count(a => a == "DescribeInstances"));
    }

    [MotoFact]
    public async Task PermanentError_NotRetried()
    {
        using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Faults["DescribeInstances"] = _ => (400, Error("InvalidParameterValue"));
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => Provider(proxy).ListAsync(CancellationToken.None));
        Assert.Single(proxy.Actions, a => a == "DescribeInstances");
    }

    [Theory]
    [InlineData("RequestLimitExceeded", 400, true)]
    [InlineData("InternalError", 500, true)]
    [InlineData("InsufficientInstanceCapacity", 500, false)]
    [InlineData("ServiceUnavailable", 503, true)]
    [InlineData("InvalidParameterValue", 400, false)]
    [InlineData("UnauthorizedOperation", 403, false)]
    public void IsTransient_ByCodeAndStatus(string code, int status, bool transient) =>
        Assert.Equal(transient, AwsRetry.IsTransient(new AmazonEC2Exception(code) { ErrorCode = code, StatusCode = (System.Net.HttpStatusCode)status }));
}
