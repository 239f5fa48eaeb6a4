using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Kubernetes;
using static Platform.Autoscaler.Tests.Kubernetes.ClusterObjects;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// The port's writes over the real client against the stateful fake API server: path, verb, content type and body
/// of each request, and what the store holds afterwards.
/// </summary>
public sealed class KubernetesClusterPortWireTests : IDisposable
{
    private const string Finalizer = "karpenter.sh/termination";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeApiServer server = new();
    private readonly k8s.Kubernetes client;
    private readonly SettableTime time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly KubernetesClusterPort port;

    public KubernetesClusterPortWireTests()
    {
        client = server.Client();
        port = new KubernetesClusterPort(client, time, new ClusterPortOptions { Instance = "autoscaler-0" });
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
    }

    private RecordedRequest[] Writes() => [.. server.Requests.Where(r => r.Method != "GET")];

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\n  actual {actual}");

    [Fact]
    public async Task CreateNodeClaim_New_PostsToTheClusterCollection()
    {
        var created = await port.CreateNodeClaimAsync(NodeClaim("gpu-a", [Finalizer]), None);

        var post = Assert.Single(Writes());
        Assert.Equal("POST /apis/karpenter.sh/v1/nodeclaims?fieldManager=platform-autoscaler", post.ToString());
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal("karpenter.sh/v1", (string?)body["apiVersion"]);
        Assert.Equal("NodeClaim", (string?)body["kind"]);
        Assert.Equal("gpu-a", (string?)body["metadata"]!["name"]);
        Assert.Equal("gpu", (string?)body["spec"]!["nodeClassRef"]!["name"]);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal([Finalizer], created.Metadata.Finalizers);
    }

    [Fact]
    public async Task CreateNodeClaim_Twice_ReturnsTheExistingClaim()
    {
        var first = await port.CreateNodeClaimAsync(NodeClaim("gpu-a"), None);
        var second = await port.CreateNodeClaimAsync(NodeClaim("gpu-a", labels: new Dictionary<string, string> { ["changed"] = "yes" }), None);

        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Null(second.Metadata.Labels);
        Assert.Single(server.Store.Items(FakeResource.NodeClaims));
        Assert.Equal(
            ["POST /apis/karpenter.sh/v1/nodeclaims?fieldManager=platform-autoscaler",
             "POST /apis/karpenter.sh/v1/nodeclaims?fieldManager=platform-autoscaler",
             "GET /apis/karpenter.sh/v1/nodeclaims/gpu-a"],
            server.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task UpdateNodeClaimMetadata_ReplacesLabelsAndFinalizers_WithOneVersionedMergePatch()
    {
        var seeded = server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", [Finalizer], new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        var version = (string)seeded["metadata"]!["resourceVersion"]!;

        await port.UpdateNodeClaimMetadataAsync("gpu-a", new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, null, [], None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /apis/karpenter.sh/v1/nodeclaims/gpu-a?fieldManager=platform-autoscaler", patch.ToString());
        Assert.StartsWith("application/merge-patch+json", patch.ContentType, StringComparison.Ordinal);
        AssertJson($$$"""{"metadata":{"labels":{"c":"3","b":null},"finalizers":null,"resourceVersion":"{{{version}}}"}}""", patch.Body);
        var stored = server.Get<NodeClaim>(FakeResource.NodeClaims, null, "gpu-a")!;
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, stored.Metadata.Labels);
        Assert.Null(stored.Metadata.Finalizers);
        Assert.Equal("gpu", stored.Spec!.NodeClassRef!.Name);
    }

    [Fact]
    public async Task UpdateNodeClaimMetadata_AlreadyAsAsked_SendsNoPatch()
    {
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", [Finalizer], new Dictionary<string, string> { ["a"] = "1" }));

        await port.UpdateNodeClaimMetadataAsync("gpu-a", new Dictionary<string, string> { ["a"] = "1" }, new Dictionary<string, string>(), [Finalizer], None);

        Assert.Empty(Writes());
    }

    [Fact]
    public async Task UpdateNodeClaimMetadata_Conflict_StartsOverFromAFreshRead()
    {
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", [Finalizer]));
        // Another writer gets in between the first read and the first patch.
        using (var hold = server.Hold(r => r.Method == "PATCH"))
        {
            var update = port.UpdateNodeClaimMetadataAsync("gpu-a", null, null, [], None);
            await Poll.UntilAsync(() => hold.Held == 1, () => "the first patch never came");
            server.Store.Patch(FakeResource.NodeClaims, null, "gpu-a", JsonNode.Parse("""{"metadata":{"labels":{"other":"writer"}}}""")!.AsObject(), status: false);
            hold.Dispose();
            await update;
        }

        Assert.Equal(["GET", "PATCH", "GET", "PATCH"], server.Requests.Select(r => r.Method));
        var stored = server.Get<NodeClaim>(FakeResource.NodeClaims, null, "gpu-a")!;
        Assert.Null(stored.Metadata.Finalizers);
        Assert.Equal("writer", stored.Metadata.Labels!["other"]);
    }

    [Fact]
    public async Task UpdateNodeClaimMetadata_ConflictEveryTime_GivesUpAfterTheConfiguredAttempts()
    {
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", [Finalizer]));
        server.FailNext(r => r.Method == "PATCH", 10, HttpStatusCode.Conflict);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => port.UpdateNodeClaimMetadataAsync("gpu-a", null, null, [], None));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal(5, server.Requests.Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task UpdateNodeClaimStatus_SendsTheDifferenceToTheStatusSubresource()
    {
        var seeded = server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", status: new NodeClaimStatus
        {
            NodeName = "ip-10-0-0-1",
            Conditions = [new Condition { Type = "Launched", Status = "True", Reason = "Launched", LastTransitionTime = new DateTime(2025, 3, 1, 11, 0, 0, DateTimeKind.Utc) }],
        }));
        var version = (string)seeded["metadata"]!["resourceVersion"]!;

        await port.UpdateNodeClaimStatusAsync("gpu-a", new NodeClaimStatus
        {
            ProviderID = "aws:///us-east-1a/i-0abc",
            Conditions = [new Condition { Type = "Launched", Status = "True", Reason = "Launched", LastTransitionTime = new DateTime(2025, 3, 1, 11, 0, 0, DateTimeKind.Utc) }],
        }, None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /apis/karpenter.sh/v1/nodeclaims/gpu-a/status?fieldManager=platform-autoscaler", patch.ToString());
        Assert.StartsWith("application/merge-patch+json", patch.ContentType, StringComparison.Ordinal);
        AssertJson($$$"""{"metadata":{"resourceVersion":"{{{version}}}"},"status":{"providerID":"aws:///us-east-1a/i-0abc","nodeName":null}}""", patch.Body);
        var stored = server.Get<NodeClaim>(FakeResource.NodeClaims, null, "gpu-a")!;
        Assert.Null(stored.Status!.NodeName);
        Assert.Equal("aws:///us-east-1a/i-0abc", stored.Status.ProviderID);

        await port.UpdateNodeClaimStatusAsync("gpu-a", stored.Status, None);
        Assert.Single(Writes());
    }

    [Fact]
    public async Task UpdateNodeClassStatus_WritesTheStatusSubresourceOnce()
    {
        var seeded = server.Put(FakeResource.NodeClasses, new EC2NodeClass
        {
            ApiVersion = EC2NodeClass.GroupVersion,
            Kind = EC2NodeClass.KindName,
            Metadata = new V1ObjectMeta { Name = "gpu", Generation = 2 },
            Spec = new EC2NodeClassSpec { Role = "node-role" },
        });
        var version = (string)seeded["metadata"]!["resourceVersion"]!;
        var status = new EC2NodeClassStatus
        {
            Subnets = [new ResolvedSubnet { Id = "subnet-0a", Zone = "us-east-1a" }],
            InstanceProfile = "node-role",
            Conditions = [new Condition { Type = "Ready", Status = "True", ObservedGeneration = 2, Reason = "Ready", Message = "", LastTransitionTime = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc) }],
        };

        await port.UpdateNodeClassStatusAsync("gpu", status, None);
        await port.UpdateNodeClassStatusAsync("gpu", status, None);
        await port.UpdateNodeClassStatusAsync("deleted-meanwhile", status, None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /apis/karpenter.k8s.aws/v1/ec2nodeclasses/gpu/status?fieldManager=platform-autoscaler", patch.ToString());
        Assert.Contains($"\"resourceVersion\":\"{version}\"", patch.Body, StringComparison.Ordinal);
        var stored = server.Get<EC2NodeClass>(FakeResource.NodeClasses, null, "gpu")!;
        Assert.Equal("subnet-0a", Assert.Single(stored.Status!.Subnets!).Id);
        Assert.Equal(("Ready", "True", 2L), (stored.Status.Conditions![0].Type!, stored.Status.Conditions[0].Status!, stored.Status.Conditions[0].ObservedGeneration!.Value));
        Assert.Equal("node-role", stored.Spec!.Role);
    }

    [Fact]
    public async Task DeleteNodeClaim_WithFinalizer_IsMarkedUntilTheFinalizerGoes()
    {
        server.Put(FakeResource.NodeClaims, NodeClaim("gpu-a", [Finalizer]));

        await port.DeleteNodeClaimAsync("gpu-a", None);
        await port.DeleteNodeClaimAsync("gpu-a", None);

        var marked = server.Get<NodeClaim>(FakeResource.NodeClaims, null, "gpu-a");
        Assert.NotNull(marked?.Metadata.DeletionTimestamp);
        Assert.Equal(["DELETE /apis/karpenter.sh/v1/nodeclaims/gpu-a", "DELETE /apis/karpenter.sh/v1/nodeclaims/gpu-a"], Writes().Select(r => r.ToString()));

        await port.UpdateNodeClaimMetadataAsync("gpu-a", null, null, [], None);

        Assert.Null(server.Store.Find(FakeResource.NodeClaims, null, "gpu-a"));
        await port.UpdateNodeClaimMetadataAsync("gpu-a", null, null, [], None); // gone: quiet
    }

    [Fact]
    public async Task Writes_ObjectIsGone_AreQuiet()
    {
        await port.DeleteNodeClaimAsync("gone", None);
        await port.DeleteNodeAsync("gone", None);
        await port.DeletePodAsync("default", "gone", None);
        await port.UpdateNodeClaimMetadataAsync("gone", new Dictionary<string, string> { ["a"] = "b" }, null, null, None);
        await port.UpdateNodeClaimStatusAsync("gone", new NodeClaimStatus { NodeName = "n" }, None);
        await port.PatchNodeAsync("gone", new NodePatch(Unschedulable: true), None);

        Assert.Equal(
            ["DELETE /apis/karpenter.sh/v1/nodeclaims/gone", "DELETE /api/v1/nodes/gone", "DELETE /api/v1/namespaces/default/pods/gone",
             "GET /apis/karpenter.sh/v1/nodeclaims/gone", "GET /apis/karpenter.sh/v1/nodeclaims/gone",
             "PATCH /api/v1/nodes/gone?fieldManager=platform-autoscaler"],
            server.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task PatchNode_LabelsTaintsCordon_OneVersionedMergePatchFromTheServersTaints()
    {
        var seeded = server.Put(FakeResource.Nodes, Node("ip-10-0-0-1", new Dictionary<string, string> { ["keep"] = "me" },
            [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule", Value = "true" }, new V1Taint { Key = "old", Effect = "NoExecute" }]));
        var version = (string)seeded["metadata"]!["resourceVersion"]!;

        await port.PatchNodeAsync("ip-10-0-0-1", new NodePatch(
            new Dictionary<string, string> { ["karpenter.sh/disrupted"] = "true" },
            AddTaints: [new V1Taint { Key = "karpenter.sh/disrupted", Effect = "NoSchedule" }],
            RemoveTaints: ["old"],
            Unschedulable: true), None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /api/v1/nodes/ip-10-0-0-1?fieldManager=platform-autoscaler", patch.ToString());
        Assert.StartsWith("application/merge-patch+json", patch.ContentType, StringComparison.Ordinal);
        AssertJson($$$"""
            {"metadata":{"labels":{"karpenter.sh/disrupted":"true"},"resourceVersion":"{{{version}}}"},
             "spec":{"taints":[{"effect":"NoSchedule","key":"nvidia.com/gpu","value":"true"},{"effect":"NoSchedule","key":"node.kubernetes.io/not-ready"},
                               {"effect":"NoSchedule","key":"karpenter.sh/disrupted"}],"unschedulable":true}}
            """, patch.Body);
        var node = server.Get<V1Node>(FakeResource.Nodes, null, "ip-10-0-0-1")!;
        Assert.Equal("me", node.Metadata.Labels["keep"]);
        Assert.Equal("true", node.Metadata.Labels["karpenter.sh/disrupted"]);
        // The server's not-ready taint (TaintNodesByCondition) is the node lifecycle controller's to remove, and stays.
        Assert.Equal(["nvidia.com/gpu", WellKnownTaints.NotReady, "karpenter.sh/disrupted"], node.Spec.Taints.Select(t => t.Key));
        Assert.True(node.Spec.Unschedulable);
    }

    [Fact]
    public async Task PatchNode_TaintAddedByAnotherWriterAfterOurRead_SurvivesThroughTheConflict()
    {
        server.Put(FakeResource.Nodes, Node("n", null, [new V1Taint { Key = WellKnownTaints.Unregistered, Effect = "NoExecute" }]));
        Task patching;
        using (var hold = server.Hold(r => r.Method == "PATCH"))
        {
            patching = port.PatchNodeAsync("n", new NodePatch(RemoveTaints: [WellKnownTaints.Unregistered]), None);
            await Poll.UntilAsync(() => hold.Held == 1, () => "the patch never reached the server");
            // Between our read and our patch, the cloud controller taints the node: our versioned patch is refused.
            var tainted = Node("n", null,
            [
                new V1Taint { Key = WellKnownTaints.Unregistered, Effect = "NoExecute" },
                new V1Taint { Key = "node.cloudprovider.kubernetes.io/uninitialized", Effect = "NoSchedule", Value = "true" },
            ]);
            Assert.True(server.Store.Update(FakeResource.Nodes, null, "n", JsonNode.Parse(k8s.KubernetesJson.Serialize(tainted))!.AsObject(), status: false).Succeeded);
        }

        await patching;

        Assert.Equal(2, Writes().Length);
        Assert.Equal(["node.cloudprovider.kubernetes.io/uninitialized"], server.Get<V1Node>(FakeResource.Nodes, null, "n")!.Spec.Taints.Select(t => t.Key));
    }

    [Fact]
    public async Task PatchNode_FinalizerAndOwner_AddedToTheServersListsInOneVersionedPatch()
    {
        var node = Node("n");
        node.Metadata.Finalizers = ["other.example/keep"];
        node.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "o", Uid = "uid-o" }];
        var version = (string)server.Put(FakeResource.Nodes, node)["metadata"]!["resourceVersion"]!;
        var owner = new V1OwnerReference { ApiVersion = "karpenter.sh/v1", Kind = "NodeClaim", Name = "gpu-a", Uid = "uid-a", BlockOwnerDeletion = true };

        await port.PatchNodeAsync("n", new NodePatch(AddFinalizers: [Finalizer], Owner: owner), None);
        await port.PatchNodeAsync("n", new NodePatch(AddFinalizers: [Finalizer], Owner: owner), None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /api/v1/nodes/n?fieldManager=platform-autoscaler", patch.ToString());
        AssertJson($$$"""
            {"metadata":{"finalizers":["other.example/keep","karpenter.sh/termination"],
                         "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":"uid-o"},
                                            {"apiVersion":"karpenter.sh/v1","blockOwnerDeletion":true,"kind":"NodeClaim","name":"gpu-a","uid":"uid-a"}],
                         "resourceVersion":"{{{version}}}"}}
            """, patch.Body);
        var stored = server.Get<V1Node>(FakeResource.Nodes, null, "n")!;
        Assert.Equal(["other.example/keep", Finalizer], stored.Metadata.Finalizers);
        Assert.Equal(["uid-o", "uid-a"], stored.Metadata.OwnerReferences.Select(o => o.Uid));
    }

    [Fact]
    public async Task DeleteNode_WithTheFinalizer_IsHeldUntilThePortReleasesIt()
    {
        var node = Node("n");
        node.Metadata.Finalizers = [Finalizer];
        server.Put(FakeResource.Nodes, node);

        await port.DeleteNodeAsync("n", None);
        Assert.NotNull(server.Get<V1Node>(FakeResource.Nodes, null, "n")!.Metadata.DeletionTimestamp);
        // The API server refuses a new finalizer on a node being deleted; the port's caller must not send one.
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => port.PatchNodeAsync("n", new NodePatch(AddFinalizers: ["late.example/finalizer"]), None));
        await port.PatchNodeAsync("n", new NodePatch(RemoveFinalizers: [Finalizer]), None);

        Assert.Empty(server.Store.Items(FakeResource.Nodes));
    }

    [Fact]
    public async Task UpdateNodePoolStatus_SendsTheDifferenceToTheStatusSubresource()
    {
        var version = (string)server.Put(FakeResource.NodePools, NodePool("gpu"))["metadata"]!["resourceVersion"]!;
        var status = new NodePoolStatus
        {
            Nodes = 2,
            Resources = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["nodes"] = new("2") },
            Conditions = [new Condition { Type = "Ready", Status = "True", Reason = "Ready", Message = "", LastTransitionTime = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc) }],
        };

        await port.UpdateNodePoolStatusAsync("gpu", status, None);
        await port.UpdateNodePoolStatusAsync("gpu", status, None);

        var patch = Assert.Single(Writes());
        Assert.Equal("PATCH /apis/karpenter.sh/v1/nodepools/gpu/status?fieldManager=platform-autoscaler", patch.ToString());
        AssertJson($$$"""
            {"metadata":{"resourceVersion":"{{{version}}}"},
             "status":{"nodes":2,"resources":{"cpu":"8","nodes":"2"},
                       "conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"","lastTransitionTime":"2025-03-01T12:00:00Z"}]}}
            """, patch.Body);
        Assert.Equal(2, server.Get<NodePool>(FakeResource.NodePools, null, "gpu")!.Status!.Nodes);
    }

    [Fact]
    public async Task UpdateNodeClassFinalizers_AddsThenRemoves_TheDeletedClassGoes()
    {
        var version = (string)server.Put(FakeResource.NodeClasses, NodeClass("gpu"))["metadata"]!["resourceVersion"]!;

        await port.UpdateNodeClassFinalizersAsync("gpu", [WellKnownAnnotations.NodeClassTerminationFinalizer], None);
        server.Store.Delete(FakeResource.NodeClasses, null, "gpu");
        Assert.NotNull(server.Get<EC2NodeClass>(FakeResource.NodeClasses, null, "gpu"));
        await port.UpdateNodeClassFinalizersAsync("gpu", [], None);

        var writes = Writes();
        Assert.Equal(2, writes.Length);
        Assert.Equal("PATCH /apis/karpenter.k8s.aws/v1/ec2nodeclasses/gpu?fieldManager=platform-autoscaler", writes[0].ToString());
        AssertJson($$$"""{"metadata":{"finalizers":["karpenter.k8s.aws/termination"],"resourceVersion":"{{{version}}}"}}""", writes[0].Body);
        Assert.Empty(server.Store.Items(FakeResource.NodeClasses));
    }

    [Fact]
    public async Task PatchNode_TaintsAlreadyAsAsked_SendsNothing()
    {
        server.Put(FakeResource.Nodes, Node("n", null, [new V1Taint { Key = WellKnownTaints.Disrupted, Effect = "NoSchedule" }]));

        await port.PatchNodeAsync("n", new NodePatch(AddTaints: [new V1Taint { Key = WellKnownTaints.Disrupted, Effect = "NoSchedule" }], RemoveTaints: ["absent"]), None);

        Assert.Empty(Writes());
    }

    [Fact]
    public async Task PatchNode_Conflict_IsRetried()
    {
        server.Put(FakeResource.Nodes, Node("n"));
        server.FailNext(r => r.Method == "PATCH", 2, HttpStatusCode.Conflict);

        await port.PatchNodeAsync("n", new NodePatch(Unschedulable: false), None);

        Assert.Equal(3, Writes().Length);
        Assert.False(server.Get<V1Node>(FakeResource.Nodes, null, "n")!.Spec.Unschedulable);
    }

    [Fact]
    public async Task DeleteNodeAndPod_SendDeletes()
    {
        server.Put(FakeResource.Nodes, Node("n"));
        server.Put(FakeResource.Pods, Pod("team", "p", "n"));

        await port.DeletePodAsync("team", "p", None);
        await port.DeleteNodeAsync("n", None);

        Assert.Equal(["DELETE /api/v1/namespaces/team/pods/p", "DELETE /api/v1/nodes/n"], Writes().Select(r => r.ToString()));
        Assert.Empty(server.Store.Items(FakeResource.Pods));
        Assert.Empty(server.Store.Items(FakeResource.Nodes));
    }

    [Fact]
    public async Task Evict_NoBudget_IsEvicted()
    {
        server.Put(FakeResource.Pods, Pod("team", "p", "n"));

        Assert.Equal(EvictionOutcome.Evicted, await port.EvictAsync("team", "p", None));

        var post = Assert.Single(Writes());
        Assert.Equal("POST /api/v1/namespaces/team/pods/p/eviction?fieldManager=platform-autoscaler", post.ToString());
        AssertJson("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"team"}}""", post.Body);
        Assert.Empty(server.Store.Items(FakeResource.Pods));
    }

    [Fact]
    public async Task Evict_BudgetAtMinAvailable_IsRefusedAndThePodStays()
    {
        var labels = new Dictionary<string, string> { ["app"] = "trainer" };
        server.Put(FakeResource.Pods, Pod("team", "a", "n1", labels));
        server.Put(FakeResource.Pods, Pod("team", "b", "n2", labels));
        server.Put(FakeResource.Pods, Pod("team", "c", null, labels)); // pending: not healthy
        server.Put(FakeResource.DisruptionBudgets, Budget("team", "trainer", labels, minAvailable: 2));

        Assert.Equal(EvictionOutcome.Refused, await port.EvictAsync("team", "a", None));

        Assert.Equal(3, server.Store.Items(FakeResource.Pods).Count);
    }

    [Fact]
    public async Task Evict_BudgetAllowsOne_EvictsOnceThenRefuses()
    {
        var labels = new Dictionary<string, string> { ["app"] = "trainer" };
        server.Put(FakeResource.Pods, Pod("team", "a", "n1", labels));
        server.Put(FakeResource.Pods, Pod("team", "b", "n2", labels));
        server.Put(FakeResource.DisruptionBudgets, Budget("team", "trainer", labels, disruptionsAllowed: 1));

        Assert.Equal(EvictionOutcome.Evicted, await port.EvictAsync("team", "a", None));
        Assert.Equal(EvictionOutcome.Refused, await port.EvictAsync("team", "b", None));
        Assert.Equal(EvictionOutcome.Gone, await port.EvictAsync("team", "a", None));

        Assert.Equal(["b"], server.Store.Items(FakeResource.Pods).Select(p => (string?)p["metadata"]!["name"]));
        Assert.Equal(0, server.Get<V1PodDisruptionBudget>(FakeResource.DisruptionBudgets, "team", "trainer")!.Status.DisruptionsAllowed);
    }

    [Fact]
    public async Task Evict_ServerError_IsThrown()
    {
        server.Put(FakeResource.Pods, Pod("team", "p", "n"));
        server.FailNext(r => r.Path.EndsWith("/eviction", StringComparison.Ordinal), 1, HttpStatusCode.InternalServerError);

        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => port.EvictAsync("team", "p", None));
    }

    [Fact]
    public async Task RecordEvent_CreatesACoreEvent_ThenCountsRepeats()
    {
        await port.RecordEventAsync(ClusterEvent.Normal("NodeClaim", null, "gpu-a", "Launched", "launched g5.xlarge"), None);
        time.Advance(TimeSpan.FromSeconds(30));
        await port.RecordEventAsync(ClusterEvent.Normal("NodeClaim", null, "gpu-a", "Launched", "launched g5.xlarge"), None);

        var writes = Writes();
        Assert.Equal(2, writes.Length);
        Assert.Equal("POST /api/v1/namespaces/default/events?fieldManager=platform-autoscaler", writes[0].ToString());
        var name = $"gpu-a.{(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100:x}";
        AssertJson($$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{name}}","namespace":"default"},
             "involvedObject":{"apiVersion":"karpenter.sh/v1","kind":"NodeClaim","name":"gpu-a"},
             "type":"Normal","reason":"Launched","message":"launched g5.xlarge",
             "source":{"component":"platform-autoscaler","host":"autoscaler-0"},
             "reportingComponent":"platform-autoscaler","reportingInstance":"autoscaler-0",
             "count":1,"firstTimestamp":"2025-03-01T12:00:00Z","lastTimestamp":"2025-03-01T12:00:00Z"}
            """, writes[0].Body);
        Assert.Equal($"PATCH /api/v1/namespaces/default/events/{name}?fieldManager=platform-autoscaler", writes[1].ToString());
        Assert.StartsWith("application/merge-patch+json", writes[1].ContentType, StringComparison.Ordinal);
        AssertJson("""{"count":2,"lastTimestamp":"2025-03-01T12:00:30Z"}""", writes[1].Body);
        var stored = server.Get<Corev1Event>(FakeResource.Events, "default", name)!;
        Assert.Equal(2, stored.Count);
        Assert.Equal(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc), stored.FirstTimestamp);
    }

    [Fact]
    public async Task RecordEvent_TwoEventsInTheSameNanosecond_GetTwoNames()
    {
        await port.RecordEventAsync(ClusterEvent.Warning("Pod", "team", "p", "Evicting", "first"), None);
        await port.RecordEventAsync(ClusterEvent.Warning("Pod", "team", "p", "Evicting", "second"), None);

        var events = server.Store.Items(FakeResource.Events, "team");
        Assert.Equal(["first", "second"], events.Select(e => (string?)e["message"]).Order(StringComparer.Ordinal));
        Assert.Equal(["POST", "POST", "POST"], server.Requests.Select(r => r.Method));
        Assert.All(events, e => Assert.Equal("team", (string?)e["involvedObject"]!["namespace"]));
    }

    [Fact]
    public async Task RecordEvent_RepeatedEventExpired_CreatesANewOne()
    {
        var warning = ClusterEvent.Warning("Node", null, "n", "Unconsolidatable", "pods pinned");
        await port.RecordEventAsync(warning, None);
        foreach (var item in server.Store.Items(FakeResource.Events, "default"))
        {
            server.Store.Delete(FakeResource.Events, "default", (string)item["metadata"]!["name"]!);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        await port.RecordEventAsync(warning, None);

        Assert.Equal(["POST", "PATCH", "POST"], Writes().Select(r => r.Method));
        Assert.Equal(1, (int?)Assert.Single(server.Store.Items(FakeResource.Events, "default"))["count"]);
    }
}
