using k8s;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>The informer over the real client against a local API stand-in: paths, query, watch stream, 410 handling.</summary>
public sealed class InformerWireTests
{
    private static string PodJson(string name, string version) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"resourceVersion\":\"" + version + "\"}}";

    private static string List(string version, params string[] pods) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"" + version + "\"},\"items\":[" + string.Join(",", pods) + "]}";

    private static string Event(string type, string json) => "{\"type\":\"" + type + "\",\"object\":" + json + "}";

    [Fact]
    public async Task Pods_ListWatchGoneRelistBookmark_OverTheWire()
    {
        using var server = new MockApiServer();
        server.Script.Enqueue((false, [List("10", PodJson("a", "9"))]));
        server.Script.Enqueue((true, [Event("ADDED", PodJson("b", "11")),
            Event("ERROR", """{"apiVersion":"v1","kind":"Status","status":"Failure","message":"too old resource version","reason":"Expired","code":410}""")]));
        server.Script.Enqueue((false, [List("20", PodJson("c", "19"))]));
        server.Script.Enqueue((true, [Event("BOOKMARK", """{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"25"}}""")]));
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.Url });
        var informer = Informers.Pods(client, TimeProvider.System);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = informer.RunAsync(cancel.Token);

        while (informer.ResourceVersion != "25")
        {
            Assert.False(cancel.IsCancellationRequested || run.IsCompleted,
                $"stuck at resourceVersion {informer.ResourceVersion} after {informer.Lists} lists; requests: {string.Join(" | ", server.Requests)}; {run.Exception}");
            await Task.Delay(20, CancellationToken.None);
        }

        cancel.Cancel();
        await run;
        Assert.Equal(["default/c"], informer.Snapshot().Keys);
        Assert.Equal(2, informer.Lists);
        var requests = server.Requests.ToList();
        Assert.StartsWith("GET /api/v1/pods", requests[0], StringComparison.Ordinal);
        Assert.DoesNotContain("watch=true", requests[0], StringComparison.Ordinal);
        Assert.Contains("watch=true", requests[1], StringComparison.Ordinal);
        Assert.Contains("resourceVersion=10", requests[1], StringComparison.Ordinal);
        Assert.Contains("allowWatchBookmarks=true", requests[1], StringComparison.Ordinal);
        Assert.Contains(requests.Skip(2), r => r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=20", StringComparison.Ordinal));
    }
}
