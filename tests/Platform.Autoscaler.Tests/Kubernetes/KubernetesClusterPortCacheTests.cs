using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Kubernetes;
using static Platform.Autoscaler.Tests.Kubernetes.ClusterObjects;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// The port's reads: seven informers over the real client against the fake API server, through a first sync,
/// live changes, a dropped connection (resumed without a relist or a lost event) and a 410 Gone (a relist).
/// </summary>
public sealed class KubernetesClusterPortCacheTests : IAsyncDisposable
{
    private static readonly string[] ListPaths =
    [
        "/api/v1/pods", "/api/v1/nodes", "/apis/karpenter.sh/v1/nodeclaims", "/apis/karpenter.sh/v1/nodepools",
        "/apis/karpenter.k8s.aws/v1/ec2nodeclasses", "/apis/policy/v1/poddisruptionbudgets", "/apis/apps/v1/daemonsets",
        "/api/v1/namespaces",
    ];

    private readonly FakeApiServer server = new();
    private readonly k8s.Kubernetes client;
    private readonly KubernetesClusterPort port;
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));

    public KubernetesClusterPortCacheTests()
    {
        client = server.Client();
        port = new KubernetesClusterPort(client, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await port.DisposeAsync();
        client.Dispose();
        server.Dispose();
        timeout.Dispose();
    }

    private void Seed()
    {
        server.Put(FakeResource.Pods, Pod("team-b", "trainer-0", "ip-1"));
        server.Put(FakeResource.Pods, Pod("team-a", "trainer-0", "ip-1"));
        server.Put(FakeResource.Nodes, Node("ip-1"));
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-b"));
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a"));
        server.Put(FakeResource.NodePools, NodePool("gpu"));
        server.Put(FakeResource.NodeClasses, NodeClass("gpu"));
        server.Put(FakeResource.DisruptionBudgets, Budget("team-a", "trainer", new Dictionary<string, string> { ["app"] = "trainer" }, minAvailable: 1));
        server.Put(FakeResource.DaemonSets, DaemonSet("kube-system", "nvidia-device-plugin"));
        server.Put(FakeResource.Namespaces, Namespace("team-a", new Dictionary<string, string> { ["team"] = "a" }));
    }

    private static string[] Names(IEnumerable<IKubernetesObject<V1ObjectMeta>> items) =>
        [.. items.Select(i => i.Metadata.NamespaceProperty is { } ns ? $"{ns}/{i.Metadata.Name}" : i.Metadata.Name)];

    private int Lists(string path) => server.Requests.Count(r => r.Method == "GET" && r.Path == path && !r.IsWatch);

    // Synced, and every informer's watch is open: a watch still on its way could slip past a hold.
    private async Task StartAndWatchAsync()
    {
        await port.StartAsync(timeout.Token);
        await Poll.UntilAsync(() => server.Store.OpenWatches == ListPaths.Length, Describe);
    }

    private async Task<bool> SnapshotMatchesAsync(Func<ClusterSnapshot, bool> expected) => expected(await port.SnapshotAsync(timeout.Token));

    private string Describe() => $"requests: {string.Join(" | ", server.Requests.TakeLast(30))}";

    [Fact]
    public async Task SnapshotAsync_BeforeStart_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => port.SnapshotAsync(timeout.Token));
    }

    [Fact]
    public async Task StartAsync_ListsEveryKindOnce_AndTheSnapshotHoldsThemInOrder()
    {
        Seed();

        await port.StartAsync(timeout.Token);
        var snapshot = await port.SnapshotAsync(timeout.Token);

        Assert.Equal(["team-a/trainer-0", "team-b/trainer-0"], Names(snapshot.Pods));
        Assert.Equal(["ip-1"], Names(snapshot.Nodes));
        Assert.Equal(["gpu-a", "gpu-b"], Names(snapshot.NodeClaims));
        Assert.Equal("gpu", snapshot.NodeClaims[0].Spec!.NodeClassRef!.Name);
        Assert.Equal(["gpu"], Names(snapshot.NodePools));
        Assert.Equal(["gpu"], Names(snapshot.NodeClasses));
        Assert.Equal(["team-a/trainer"], Names(snapshot.DisruptionBudgets));
        Assert.Equal(["kube-system/nvidia-device-plugin"], Names(snapshot.DaemonSets));
        Assert.Equal("a", Assert.Single(snapshot.Namespaces).Metadata.Labels["team"]);
        Assert.All(ListPaths, path => Assert.Equal(1, Lists(path)));
        var version = server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Poll.UntilAsync(
            () => ListPaths.All(path => server.Requests.Any(r => r.IsWatch && r.Path == path
                && r.Query.Contains("allowWatchBookmarks=true", StringComparison.Ordinal)
                && r.Query.Contains($"resourceVersion={version}", StringComparison.Ordinal))),
            Describe);
    }

    [Fact]
    public async Task StartAsync_AListFailsAtFirst_RetriesAndSyncs()
    {
        Seed();
        server.FailNext(r => r.Path == "/apis/karpenter.sh/v1/nodeclaims" && !r.IsWatch, 2, HttpStatusCode.ServiceUnavailable);

        await port.StartAsync(timeout.Token);

        Assert.Equal(["gpu-a", "gpu-b"], Names((await port.SnapshotAsync(timeout.Token)).NodeClaims));
        Assert.Equal(3, Lists("/apis/karpenter.sh/v1/nodeclaims"));
    }

    [Fact]
    public async Task Informers_SeeCreatesUpdatesAndDeletes()
    {
        Seed();
        await port.StartAsync(timeout.Token);

        await port.CreateNodeClaimAsync(NodeClaim("gpu-c"), timeout.Token);
        await port.PatchNodeAsync("ip-1", new NodePatch(Unschedulable: true), timeout.Token);
        await port.DeletePodAsync("team-b", "trainer-0", timeout.Token);
        server.Store.Patch(FakeResource.DisruptionBudgets, "team-a", "trainer", JsonNode.Parse("""{"status":{"disruptionsAllowed":1}}""")!.AsObject(), status: true);

        await Poll.UntilAsync(() => SnapshotMatchesAsync(s =>
            Names(s.NodeClaims).SequenceEqual(["gpu-a", "gpu-b", "gpu-c"])
            && s.Nodes[0].Spec.Unschedulable == true
            && Names(s.Pods).SequenceEqual(["team-a/trainer-0"])
            && s.DisruptionBudgets[0].Status?.DisruptionsAllowed == 1), Describe);
        Assert.All(ListPaths, path => Assert.Equal(1, Lists(path)));
    }

    [Fact]
    public async Task Informers_ConnectionDropped_ResumeFromTheirVersionWithoutLosingEvents()
    {
        Seed();
        await StartAndWatchAsync();

        using (var hold = server.Hold(r => r.IsWatch))
        {
            var before = server.Requests.Count;
            server.CloseWatches();
            await Poll.UntilAsync(() => hold.Held >= ListPaths.Length, Describe);
            Assert.All(server.Requests.Skip(before).Where(r => r.IsWatch), r => Assert.DoesNotContain("resourceVersion=0", r.Query, StringComparison.Ordinal));

            // Changes made while no watch is open.
            server.Put(FakeResource.Pods, Pod("team-a", "trainer-1"));
            server.Store.Delete(FakeResource.Nodes, null, "ip-1");
            server.Store.Patch(FakeResource.NodeClaims, null, "gpu-a", JsonNode.Parse("""{"metadata":{"labels":{"seen":"yes"}}}""")!.AsObject(), status: false);
        }

        await Poll.UntilAsync(() => SnapshotMatchesAsync(s =>
            Names(s.Pods).SequenceEqual(["team-a/trainer-0", "team-a/trainer-1", "team-b/trainer-0"])
            && s.Nodes.Count == 0
            && s.NodeClaims[0].Metadata.Labels?["seen"] == "yes"), Describe);
        Assert.All(ListPaths, path => Assert.Equal(1, Lists(path)));
    }

    [Fact]
    public async Task Informers_HistoryCompacted_RelistAndTheSnapshotIsRight()
    {
        Seed();
        await StartAndWatchAsync();

        using (var hold = server.Hold(r => r.IsWatch))
        {
            server.CloseWatches();
            await Poll.UntilAsync(() => hold.Held >= ListPaths.Length, Describe);
            server.Put(FakeResource.NodeClaims, NodeClaim("gpu-c"));
            server.Store.Delete(FakeResource.NodeClaims, null, "gpu-a");
            server.Store.Delete(FakeResource.Pods, "team-b", "trainer-0");
            server.Compact();
        }

        await Poll.UntilAsync(() => ListPaths.All(path => Lists(path) == 2), Describe);
        await Poll.UntilAsync(() => SnapshotMatchesAsync(s =>
            Names(s.NodeClaims).SequenceEqual(["gpu-b", "gpu-c"])
            && Names(s.Pods).SequenceEqual(["team-a/trainer-0"])), Describe);
    }

    [Fact]
    public async Task RecordEventAsync_ObjectInTheCache_CarriesItsUid()
    {
        Seed();
        await port.StartAsync(timeout.Token);
        var uid = (string)server.Store.Find(FakeResource.NodeClaims, null, "gpu-a")!["metadata"]!["uid"]!;

        await port.RecordEventAsync(ClusterEvent.Normal(Api.NodeClaim.KindName, null, "gpu-a", "DisruptionBlocked", "pdb"), timeout.Token);

        var recorded = Assert.Single(server.Store.Items(FakeResource.Events));
        Assert.Equal(uid, (string?)recorded["involvedObject"]!["uid"]);
    }
}
