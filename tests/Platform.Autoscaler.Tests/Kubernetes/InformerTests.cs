using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Tests.Kubernetes;

public sealed class InformerTests
{
    private static V1Pod Pod(string name, string version) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = version } };

    /// <summary>A scripted API: each list and each watch answers from the queues, recording where watches started.</summary>
    private sealed class ScriptedApi
    {
        public Queue<(IReadOnlyList<V1Pod>, string)> Lists { get; } = new();
        public Queue<Func<Action<Exception>, IAsyncEnumerable<(WatchEventType, V1Pod)>>> Watches { get; } = new();
        public List<string> WatchedFrom { get; } = [];
        public CancellationTokenSource Done { get; } = new();

        public Informer<V1Pod> Informer() => new(
            _ => Task.FromResult(Lists.Dequeue()),
            (version, onError, _) =>
            {
                WatchedFrom.Add(version);
                if (Watches.Count == 0)
                {
                    Done.Cancel();
                    return Never(Done.Token);
                }

                return Watches.Dequeue()(onError);
            },
            (_, _) => Task.CompletedTask);

        private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Never([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Events(params (WatchEventType, V1Pod)[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Failing(Exception error, params (WatchEventType, V1Pod)[] before)
    {
        foreach (var e in before)
        {
            await Task.Yield();
            yield return e;
        }

        throw error;
    }

    [Fact]
    public async Task Run_ListThenWatch_CacheFollowsEventsAndBookmarks()
    {
        var api = new ScriptedApi();
        api.Lists.Enqueue(([Pod("a", "10")], "10"));
        api.Watches.Enqueue(_ => Events((WatchEventType.Added, Pod("b", "11")), (WatchEventType.Deleted, Pod("a", "12")), (WatchEventType.Bookmark, Pod("", "15"))));
        var informer = api.Informer();
        await informer.RunAsync(api.Done.Token);
        Assert.Equal(["default/b"], informer.Snapshot().Keys);
        Assert.Equal(["10", "15"], api.WatchedFrom);
        Assert.Equal(1, informer.Lists);
    }

    [Fact]
    public async Task Run_DroppedConnection_ResumesFromLastVersionWithoutRelisting()
    {
        var api = new ScriptedApi();
        api.Lists.Enqueue(([], "1"));
        api.Watches.Enqueue(_ => Failing(new IOException("connection reset"), (WatchEventType.Added, Pod("a", "2"))));
        api.Watches.Enqueue(_ => Events((WatchEventType.Modified, Pod("a", "3"))));
        var informer = api.Informer();
        await informer.RunAsync(api.Done.Token);
        Assert.Equal(["1", "2", "3"], api.WatchedFrom);
        Assert.Equal(1, informer.Lists);
        Assert.Equal("3", informer.Snapshot()["default/a"].Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Run_GoneErrorEvent_RelistsAndReplacesTheCache()
    {
        var api = new ScriptedApi();
        api.Lists.Enqueue(([Pod("stale", "1")], "1"));
        api.Lists.Enqueue(([Pod("fresh", "50")], "50"));
        api.Watches.Enqueue(onError =>
        {
            onError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }));
            return Events();
        });
        var informer = api.Informer();
        await informer.RunAsync(api.Done.Token);
        Assert.Equal(2, informer.Lists);
        Assert.Equal(["default/fresh"], informer.Snapshot().Keys);
        Assert.Equal(["1", "50"], api.WatchedFrom);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(5, 1600)]
    [InlineData(20, 30000)]
    public void Backoff_DoublesToAMaximum(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Informers.Backoff(failures));
}
