using System.Net;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.Runtime;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Service;
using Platform.Autoscaler.Tests.Kubernetes;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Service;

/// <summary>
/// The <c>run</c> host end to end on this machine: the fake API server plays the cluster, moto plays EC2 and SQS.
/// A pending pod must become a NodeClaim and a tagged EC2 instance, and the EC2NodeClass get its status, through the real adapters.
/// </summary>
public sealed class AutoscalerServiceTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly FakeApiServer server = new();
    private readonly string caFile = Path.GetTempFileName();

    public void Dispose()
    {
        server.Dispose();
        File.Delete(caFile);
    }

    [MotoFact]
    public async Task Run_LeadsServesProbesAndMetrics_AndLaunchesAnInstanceForAPendingPod()
    {
        var cluster = $"c-{Guid.NewGuid():N}"[..20];
        await File.WriteAllTextAsync(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        var (tag, subnet, subnetB, group, image) = await MotoNodeClass.PrepareAsync(moto);
        using (var sqs = moto.Sqs())
        {
            await sqs.CreateQueueAsync($"{cluster}-interruption");
        }

        server.Put(FakeResource.NodeClasses, MotoNodeClass.Create(tag, new AmiSelectorTerm { Id = image }, "default"));
        server.Store.Create(FakeResource.NodePools, null, Json("""
            {"apiVersion":"karpenter.sh/v1","kind":"NodePool","metadata":{"name":"default"},
             "spec":{"template":{"spec":{"nodeClassRef":{"group":"karpenter.k8s.aws","kind":"EC2NodeClass","name":"default"},
                     "requirements":[{"key":"node.kubernetes.io/instance-type","operator":"In","values":["m5.large","m5.xlarge"]},
                                     {"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]},
                                     {"key":"topology.kubernetes.io/zone","operator":"In","values":["us-east-1a"]}]}}}}
            """));
        var pod = ClusterObjects.Pod("default", "web-0");
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") } };
        pod.Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" }] };
        server.Put(FakeResource.Pods, pod);

        var settings = new RunSettings
        {
            ClusterName = cluster, Region = "us-east-1", ClusterEndpoint = "https://api.example", ClusterCaFile = caFile,
            InterruptionQueue = $"{cluster}-interruption", PodNamespace = "platform-system", PodName = "replica-a",
            MetricsPort = Loopback.FreePort(), HealthPort = Loopback.FreePort(), AwsEndpoint = moto.Endpoint, BindAddress = "127.0.0.1",
        };
        Assert.Empty(settings.Validate(File.Exists));
        using var client = server.Client();
        await using var app = AutoscalerService.Build(settings, client, awsCredentials: new BasicAWSCredentials("test", "test"));
        await app.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await Poll.UntilAsync(async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{settings.HealthPort}/readyz"))).StatusCode == HttpStatusCode.OK,
            () => "/readyz never became ready", TimeSpan.FromSeconds(30));
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.HealthPort}/healthz")));
        // The probes' port serves no metrics, and the other way round.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{settings.HealthPort}/metrics"))).StatusCode);
        // Bound to 127.0.0.1 only: another loopback address of this host gets no answer.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.2:{settings.HealthPort}/healthz")));

        string? launched = null;
        await Poll.UntilAsync(() =>
        {
            launched = server.Store.Items(FakeResource.NodeClaims).Select(c => c["status"]?["providerID"]?.GetValue<string>()).FirstOrDefault(id => id is not null);
            return launched is not null;
        }, () => $"no NodeClaim was launched; claims: {string.Join(", ", server.Store.Items(FakeResource.NodeClaims).Select(c => c.ToJsonString()))}; requests: {string.Join("\n", server.Requests.Select(r => r.Method + " " + r.Path + " " + r.Body[..Math.Min(300, r.Body.Length)]))}", TimeSpan.FromSeconds(60));
        var claim = Assert.Single(server.Store.Items(FakeResource.NodeClaims));
        var claimName = claim["metadata"]!["name"]!.GetValue<string>();

        using var ec2 = moto.Ec2();
        var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("tag:karpenter.sh/nodeclaim", [claimName])],
        })).Reservations.SelectMany(r => r.Instances).ToList();
        var instance = Assert.Single(instances);
        Assert.EndsWith(instance.InstanceId, launched, StringComparison.Ordinal);
        Assert.Equal(subnet, instance.SubnetId);
        Assert.Contains(instance.Tags, t => t.Key == $"kubernetes.io/cluster/{cluster}" && t.Value == "owned");

        // The node class's status: what its selectors matched in moto, Ready.
        await Poll.UntilAsync(() => server.Store.Find(FakeResource.NodeClasses, null, "default")?["status"] is not null,
            () => "the EC2NodeClass status was never written", TimeSpan.FromSeconds(30));
        var status = server.Get<EC2NodeClass>(FakeResource.NodeClasses, null, "default")!.Status!;
        Assert.Equal([(subnet, "us-east-1a"), (subnetB, "us-east-1b")], status.Subnets!.Select(s => (s.Id!, s.Zone!)));
        Assert.Equal([group], status.SecurityGroups!.Select(g => g.Id));
        Assert.Equal([image], status.Amis!.Select(a => a.Id));
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == NodeClassConditions.Ready).Status);
        Assert.Contains(WellKnownAnnotations.NodeClassTerminationFinalizer, server.Get<EC2NodeClass>(FakeResource.NodeClasses, null, "default")!.Metadata.Finalizers ?? []);

        // The NodePool's status, through its status subresource: one node's capacity counted, Ready over its class and its rules.
        await Poll.UntilAsync(() => server.Get<NodePool>(FakeResource.NodePools, null, "default")?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true
                && server.Get<NodePool>(FakeResource.NodePools, null, "default")?.Status?.Nodes == 1,
            () => $"the NodePool status was never written: {server.Store.Find(FakeResource.NodePools, null, "default")}", TimeSpan.FromSeconds(30));
        Assert.Contains(server.Requests, r => r.Method == "PATCH" && r.Path.StartsWith("/apis/karpenter.sh/v1/nodepools/default/status", StringComparison.Ordinal));

        var lease = server.Store.Find(FakeResource.Leases, "platform-system", "platform-autoscaler");
        Assert.Equal("replica-a", lease?["spec"]?["holderIdentity"]?.GetValue<string>());
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.MetricsPort}/metrics"));
        Assert.Contains("karpenter_nodeclaims_launched_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("karpenter_ec2nodeclass_ready{nodeclass=\"default\"} 1", metrics, StringComparison.Ordinal);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StopAsync(stop.Token);
        Assert.False(stop.IsCancellationRequested, "the host did not stop within its shutdown timeout");
    }

    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;
}
