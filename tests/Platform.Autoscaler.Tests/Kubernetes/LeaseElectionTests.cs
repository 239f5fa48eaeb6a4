using System.Net;
using k8s.Models;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>Leader election over the client's LeaderElector and LeaseLock against the fake API server's Leases.</summary>
public sealed class LeaseElectionTests : IDisposable
{
    private readonly FakeApiServer server = new();
    private readonly List<k8s.Kubernetes> clients = [];
    private readonly Lock gate = new();
    private readonly List<string> leaders = [];
    private int leading;
    private int mostAtOnce;

    public void Dispose()
    {
        clients.ForEach(c => c.Dispose());
        server.Dispose();
    }

    private LeaseElection Election(string identity, TimeSpan? leaseDuration = null)
    {
        var client = server.Client();
        clients.Add(client);
        return new LeaseElection(client, new LeaseElectionSettings
        {
            LeaseName = "platform-autoscaler",
            LeaseNamespace = "karpenter",
            Identity = identity,
            // A leader gives up at most RetryPeriod + RenewDeadline after its last renewal, and a follower takes over
            // no sooner than LeaseDuration after it: the gap is what keeps two from leading at once on a busy machine.
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromMilliseconds(900),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        }, TimeProvider.System);
    }

    /// <summary>Counts who leads, and how many at once, until leadership is taken away.</summary>
    private Func<CancellationToken, Task> Work(string identity) => async cancellationToken =>
    {
        lock (gate)
        {
            leaders.Add(identity);
            mostAtOnce = Math.Max(mostAtOnce, ++leading);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            lock (gate)
            {
                leading--;
            }
        }
    };

    private string[] Leaders()
    {
        lock (gate)
        {
            return [.. leaders];
        }
    }

    private string Holder() => server.Get<V1Lease>(FakeResource.Leases, "karpenter", "platform-autoscaler")?.Spec?.HolderIdentity ?? "";

    [Fact]
    public async Task TwoReplicas_OneLeads_AndTheOtherTakesOverWhenItStops()
    {
        var a = Election("replica-a");
        var b = Election("replica-b");
        using var stopA = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stopB = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var runA = a.RunAsync(Work("replica-a"), stopA.Token);
        var runB = b.RunAsync(Work("replica-b"), stopB.Token);

        await Poll.UntilAsync(() => Leaders().Length == 1, () => $"leaders: {string.Join(",", Leaders())}");
        var first = Leaders()[0];
        Assert.Equal(first, Holder());
        Assert.True(first == "replica-a" ? a.IsLeader && !b.IsLeader : b.IsLeader && !a.IsLeader);

        // The follower keeps polling the Lease while it is renewed, and does not take it.
        var renewals = server.Requests.Count(r => r.Method == "PUT");
        await Poll.UntilAsync(() => server.Requests.Count(r => r.Method == "PUT") >= renewals + 5, () => "no renewals");
        Assert.Equal([first], Leaders());

        await (first == "replica-a" ? stopA : stopB).CancelAsync();
        await (first == "replica-a" ? runA : runB);
        var second = first == "replica-a" ? "replica-b" : "replica-a";

        await Poll.UntilAsync(() => Leaders().Length == 2, () => $"no takeover; lease held by {Holder()}");
        Assert.Equal([first, second], Leaders());
        Assert.Equal(second, Holder());
        Assert.Equal(1, mostAtOnce);
        Assert.Equal(second, (first == "replica-a" ? b : a).Leader);

        await stopA.CancelAsync();
        await stopB.CancelAsync();
        await Task.WhenAll(runA, runB);
    }

    [Fact]
    public async Task LeaderStops_ReleasesTheLease_TheOtherTakesOverLongBeforeItWouldExpire()
    {
        var a = Election("replica-a", TimeSpan.FromSeconds(30));
        using var stopA = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stopB = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runA = a.RunAsync(Work("replica-a"), stopA.Token);
        await Poll.UntilAsync(() => a.IsLeader, () => "replica-a never led");
        var b = Election("replica-b", TimeSpan.FromSeconds(30));
        var runB = b.RunAsync(Work("replica-b"), stopB.Token);
        await Poll.UntilAsync(() => b.Leader == "replica-a", () => "replica-b never saw the Lease");

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await stopA.CancelAsync();
        await runA;
        // Released: no longer held by replica-a (replica-b may already have taken it).
        Assert.NotEqual("replica-a", Holder());

        await Poll.UntilAsync(() => b.IsLeader, () => $"no takeover; lease held by {Holder()}", TimeSpan.FromSeconds(10));
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"takeover took {stopped.Elapsed}");
        Assert.Equal(["replica-a", "replica-b"], Leaders());
        Assert.Equal(1, mostAtOnce);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task Leader_RenewalsFail_ItsWorkIsCancelledAndTheOtherTakesOver()
    {
        var a = Election("replica-a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var runA = a.RunAsync(Work("replica-a"), stop.Token);
        await Poll.UntilAsync(() => a.IsLeader, () => "replica-a never led");
        var b = Election("replica-b");
        var runB = b.RunAsync(Work("replica-b"), stop.Token);

        server.FailNext(r => r.Method == "PUT" && r.Body.Contains("\"holderIdentity\":\"replica-a\"", StringComparison.Ordinal), 1000, HttpStatusCode.InternalServerError);

        await Poll.UntilAsync(() => Leaders().Length == 2, () => $"no takeover; lease held by {Holder()}");
        Assert.True(b.IsLeader);
        Assert.False(a.IsLeader);
        Assert.Equal(["replica-a", "replica-b"], Leaders());
        Assert.Equal(1, mostAtOnce);
        await stop.CancelAsync();
        await Task.WhenAll(runA, runB);
    }

    [Fact]
    public async Task RunAsync_WorkReturns_TheRunEnds()
    {
        var election = Election("replica-a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await election.RunAsync(_ => Task.CompletedTask, stop.Token);

        Assert.False(stop.IsCancellationRequested);
        Assert.False(election.IsLeader);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_TheRunThrows()
    {
        var election = Election("replica-a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => election.RunAsync(_ => throw new InvalidOperationException("boom"), stop.Token));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public void Settings_Unusable_EveryProblemIsNamed()
    {
        var client = server.Client();
        clients.Add(client);
        var error = Assert.Throws<ArgumentException>(() => new LeaseElection(client, new LeaseElectionSettings
        {
            LeaseName = "",
            LeaseNamespace = "karpenter",
            Identity = "a",
            LeaseDuration = TimeSpan.FromMilliseconds(1500),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromSeconds(3),
        }, TimeProvider.System));

        Assert.Contains("LeaseName: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("LeaseDuration", error.Message, StringComparison.Ordinal);
        Assert.Contains("RenewDeadline", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetryPeriod", error.Message, StringComparison.Ordinal);
    }
}
