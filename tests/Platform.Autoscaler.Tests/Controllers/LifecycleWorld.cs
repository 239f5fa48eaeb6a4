using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Planning;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Tests.Controllers;

/// <summary>
/// The controllers over the in-memory cluster and cloud on a virtual clock, with the test playing the kubelets: it
/// registers a node for an instance (NotReady, as a kubelet registers it) and makes it Ready when it chooses.
/// </summary>
internal sealed class LifecycleWorld
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly InstanceCatalog Catalog = BundledCatalog.Load();
    private static readonly IReadOnlyDictionary<string, InstanceType> Types =
        new ResolvedTypes().For(Catalog, null, new HashSet<(string, string, string)>()).ToDictionary(t => t.Name, StringComparer.Ordinal);

    public LifecycleWorld(ControllerOptions? options = null, Func<ICloudProvider, ICloudProvider>? wrapCloud = null)
    {
        Clock = new VirtualClock(Start);
        Cluster = new InMemoryCluster(Clock);
        Cloud = new InMemoryCloud(Catalog, Clock);
        Context = new ControllerContext(Cluster, wrapCloud?.Invoke(Cloud) ?? Cloud, Clock, options ?? new ControllerOptions { NameSeed = 7 }, new AutoscalerMetrics(), NullLogger.Instance);
        Context.Decided += Decisions.Add;
        Controllers = new AutoscalerControllers(Context, null, new InMemoryNodeClasses(Catalog));
    }

    public VirtualClock Clock { get; }

    public InMemoryCluster Cluster { get; }

    public InMemoryCloud Cloud { get; }

    public ControllerContext Context { get; }

    public AutoscalerControllers Controllers { get; }

    public List<DecisionRecord> Decisions { get; } = [];

    public IReadOnlyList<NodeClaim> Claims => Cluster.Snapshot().NodeClaims;

    public IReadOnlyList<V1Node> Nodes => Cluster.Snapshot().Nodes;

    /// <summary>Runs every controller once a second for <paramref name="duration"/>, calling <paramref name="check"/> after each pass.</summary>
    public async Task RunAsync(TimeSpan duration, Action? check = null)
    {
        for (var end = Clock.GetUtcNow() + duration; Clock.GetUtcNow() < end; Clock.Advance(TimeSpan.FromSeconds(1)))
        {
            await Controllers.RunOnceAsync(CancellationToken.None);
            check?.Invoke();
        }
    }

    /// <summary>Runs every controller once a second until <paramref name="done"/>; fails after <paramref name="limit"/>.</summary>
    public async Task RunUntilAsync(Func<bool> done, TimeSpan limit, string what)
    {
        for (var end = Clock.GetUtcNow() + limit; !done(); Clock.Advance(TimeSpan.FromSeconds(1)))
        {
            Assert.True(Clock.GetUtcNow() < end, $"{what} did not happen within {limit}");
            await Controllers.RunOnceAsync(CancellationToken.None);
        }
    }

    /// <summary>Applies a pending pod and runs until a NodeClaim has launched for it; returns the claim's name.</summary>
    public async Task<string> LaunchForAsync(V1Pod pod)
    {
        Cluster.Apply(pod);
        await RunUntilAsync(() => Claims.Any(c => c.Status?.ProviderID is not null), TimeSpan.FromSeconds(30), "a launch");
        return Claims.Single(c => c.Status?.ProviderID is not null).Metadata.Name;
    }

    /// <summary>
    /// The node a kubelet registers for the instance, stored as the API server stores it: NotReady, with the
    /// unregistered taint nodeadm puts on, <paramref name="taints"/>, and the not-ready taint the server adds.
    /// </summary>
    public V1Node Register(CloudInstance instance, params V1Taint[] taints)
    {
        var type = Types[instance.InstanceType];
        var early = NodeClaimFactory.Quantities(type.Allocatable)
            .Where(kv => kv.Key is WellKnownResources.Cpu or WellKnownResources.Memory or WellKnownResources.Pods or WellKnownResources.EphemeralStorage)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var node = KubeletNode.For(instance, type,
            [new V1Taint { Key = WellKnownTaints.Unregistered, Effect = TaintEffects.NoExecute }, .. taints, new V1Taint { Key = WellKnownTaints.NotReady, Effect = TaintEffects.NoSchedule }],
            early);
        Cluster.Apply(node);
        return node;
    }

    /// <summary>The kubelet reports Ready with its full allocatable (GPUs included); the node lifecycle controller then drops not-ready.</summary>
    public void MarkReady(string node, params string[] removeTaints) => Cluster.UpdateNode(node, n =>
    {
        KubeletNode.SetReady(n, KubeletNode.Ready());
        n.Status.Allocatable = NodeClaimFactory.Quantities(Types[n.Metadata.Labels[WellKnownLabels.InstanceType]].Allocatable);
        n.Spec.Taints = [.. (n.Spec.Taints ?? []).Where(t => !removeTaints.Contains(t.Key))];
    });

    /// <summary>
    /// Brings up the node of a launched NodeClaim, the world's one claim, as a kubelet does: registered at once, Ready
    /// after <paramref name="boot"/>; runs until the claim is Initialized and returns the node's name.
    /// </summary>
    public async Task<string> BringUpAsync(string claim, TimeSpan boot)
    {
        var node = Register(InstanceOf(claim)).Metadata.Name;
        await RunAsync(boot);
        MarkReady(node);
        await RunUntilAsync(() => NodeClaimConditions.IsTrue(Claims.Single(), NodeClaimConditions.Initialized), TimeSpan.FromSeconds(10), "initialization");
        return node;
    }

    /// <summary>The running instance of a NodeClaim.</summary>
    public CloudInstance InstanceOf(string claim) => Cloud.All.Single(i => i.NodeClaim == claim && i.Running);
}
