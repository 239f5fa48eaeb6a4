using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Platform.Autoscaler.Tests.Kubernetes.ClusterObjects;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>The fake API server's own rules, through the real client, so that tests built on it can trust it.</summary>
public sealed class FakeApiServerTests : IDisposable
{
    private readonly FakeApiServer server = new();
    private readonly k8s.Kubernetes client;
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));

    public FakeApiServerTests() => client = server.Client();

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        timeout.Dispose();
    }

    [Fact]
    public async Task Create_GenerateName_NamesTheObject()
    {
        var pod = Pod("team", "");
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "trainer-";

        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, "team", cancellationToken: timeout.Token);

        Assert.StartsWith("trainer-", created.Metadata.Name, StringComparison.Ordinal);
        Assert.True(created.Metadata.Name.Length > "trainer-".Length);
        Assert.NotNull(created.Metadata.Uid);
    }

    [Fact]
    public async Task CreateNode_GetsTheNotReadyTaint_AndKeepsItsStatus_AsTheRealServerAdmitsIt()
    {
        var node = Node("ip-1", taints: [new V1Taint { Key = "karpenter.sh/unregistered", Effect = "NoExecute" }]);
        node.Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady" }] };

        var created = await client.CoreV1.CreateNodeAsync(node, cancellationToken: timeout.Token);

        Assert.Equal(["karpenter.sh/unregistered:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"], created.Spec.Taints.Select(t => $"{t.Key}:{t.Effect}"));
        Assert.Equal("False", created.Status.Conditions.Single().Status);
    }

    [Fact]
    public async Task Patch_NewFinalizerOnAnObjectBeingDeleted_IsRefused()
    {
        var node = Node("n");
        node.Metadata.Finalizers = ["a.example/f"];
        server.Put(FakeResource.Nodes, node);
        await client.CoreV1.DeleteNodeAsync("n", cancellationToken: timeout.Token);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNodeAsync(
            new V1Patch("""{"metadata":{"finalizers":["a.example/f","b.example/f"]}}""", V1Patch.PatchType.MergePatch), "n", cancellationToken: timeout.Token));
        await client.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"finalizers":[]}}""", V1Patch.PatchType.MergePatch), "n", cancellationToken: timeout.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Empty(server.Store.Items(FakeResource.Nodes));
    }

    [Fact]
    public async Task Bind_SetsTheNodeOnce()
    {
        server.Put(FakeResource.Pods, Pod("team", "p"));
        var binding = new V1Binding { Metadata = new V1ObjectMeta { Name = "p" }, Target = new V1ObjectReference { Kind = "Node", Name = "ip-1" } };

        await client.CoreV1.CreateNamespacedPodBindingAsync(binding, "p", "team", cancellationToken: timeout.Token);
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodBindingAsync(binding, "p", "team", cancellationToken: timeout.Token));

        Assert.Equal("ip-1", server.Get<V1Pod>(FakeResource.Pods, "team", "p")!.Spec.NodeName);
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Conflicts_AndANoOpKeepsTheVersion()
    {
        server.Put(FakeResource.Nodes, Node("n"));
        var node = await client.CoreV1.ReadNodeAsync("n", cancellationToken: timeout.Token);
        var stale = node.Metadata.ResourceVersion;

        var same = await client.CoreV1.ReplaceNodeAsync(node, "n", cancellationToken: timeout.Token);
        node.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var changed = await client.CoreV1.ReplaceNodeAsync(node, "n", cancellationToken: timeout.Token);
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNodeAsync(node, "n", cancellationToken: timeout.Token));

        Assert.Equal(stale, same.Metadata.ResourceVersion);
        Assert.NotEqual(stale, changed.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
    }

    [Fact]
    public async Task Patch_StrategicMergeReplacesLists_JsonPatchIsRefused()
    {
        server.Put(FakeResource.Nodes, Node("n", taints: [new V1Taint { Key = "a", Effect = "NoSchedule" }, new V1Taint { Key = "b", Effect = "NoSchedule" }]));

        await client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"taints":[{"key":"c","effect":"NoExecute"}]}}""", V1Patch.PatchType.StrategicMergePatch), "n", cancellationToken: timeout.Token);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNodeAsync(
            new V1Patch("""[{"op":"remove","path":"/spec/taints"}]""", V1Patch.PatchType.JsonPatch), "n", cancellationToken: timeout.Token));

        Assert.Equal(["c"], server.Get<V1Node>(FakeResource.Nodes, null, "n")!.Spec.Taints.Select(t => t.Key));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.Response.StatusCode);
    }

    [Fact]
    public async Task Watch_FromZero_StartsWithEveryObject_ThenFollows()
    {
        server.Put(FakeResource.Pods, Pod("team", "a"));
        server.Put(FakeResource.Pods, Pod("other", "b"));
        var seen = new List<(WatchEventType, string)>();

        await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync("team", resourceVersion: "0", cancellationToken: timeout.Token))
        {
            seen.Add((type, pod.Metadata.Name));
            if (seen.Count == 1)
            {
                server.Put(FakeResource.Pods, Pod("team", "c"));
                server.Store.Delete(FakeResource.Pods, "team", "a");
            }

            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Added, "c"), (WatchEventType.Deleted, "a")], seen);
    }

    [Fact]
    public async Task Watch_FromBeforeCompaction_GetsExpiredAndEnds()
    {
        server.Put(FakeResource.Nodes, Node("n"));
        var version = server.Store.ResourceVersion;
        server.Store.Delete(FakeResource.Nodes, null, "n");
        server.Compact();
        var errors = new List<Exception>();

        await foreach (var _ in client.CoreV1.WatchListNodeAsync(resourceVersion: (version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), onError: errors.Add, cancellationToken: timeout.Token))
        {
            Assert.Fail("no event was expected");
        }

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
    }
}
