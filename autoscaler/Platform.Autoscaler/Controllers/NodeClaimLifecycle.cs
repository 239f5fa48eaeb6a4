using k8s.Models;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Resources;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Carries each NodeClaim from created to initialized. Launch: its offerings are rebuilt from what the claim
/// records, spot first, each capacity error marking offerings unavailable (an event and a metric per fallback);
/// when nothing has capacity the claim is deleted so the next plan, avoiding those offerings, falls to the next tier.
/// Registration: the node with the claim's providerID gets the claim's labels and taints, losing the unregistered
/// taint; a claim whose node has not registered within the TTL is deleted. Initialization: the node is Ready, its
/// startup taints are gone and every extended resource the claim asked for (GPUs, Neuron cores) is allocatable; a node
/// whose GPUs are shared waits for the MIG manager and the device plugin to advertise them (<see cref="GpuSharingVerdict"/>),
/// and one that advertises something else is taken as it is, with a GpuSharingMismatch event and metric.
/// Launches are idempotent per claim, so a crash between launch and status write relaunches into the same instance.
/// </summary>
public sealed class NodeClaimLifecycle(ControllerContext context)
{
    // Every node has these: not waited for at initialization, and always in a NodePool's status.
    internal static readonly HashSet<string> BaseResources = new(StringComparer.Ordinal)
    {
        WellKnownResources.Cpu, WellKnownResources.Memory, WellKnownResources.Pods, WellKnownResources.EphemeralStorage,
    };

    private static readonly TimeSpan MaxLaunchBackoff = TimeSpan.FromMinutes(1);

    // Claims whose launch failed for a reason other than capacity: how often, and when to try again.
    private readonly Dictionary<string, (int Failures, DateTimeOffset Next)> launchFailures = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>One pass over every NodeClaim not being deleted.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        var claims = view.Claims.Values.Where(c => c.Metadata.DeletionTimestamp is null).ToList();
        var catalog = await context.CatalogAsync(cancellationToken).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(context.Options.LaunchParallelism);
        await Task.WhenAll(claims.Where(c => c.Status?.ProviderID is null && LaunchDue(c.Metadata.Name)).Select(async claim =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await LaunchAsync(view, catalog, claim, cancellationToken).ConfigureAwait(false);
                lock (gate)
                {
                    launchFailures.Remove(claim.Metadata.Name);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One claim's failure never stops the others' launches, nor this pass's registrations.
                await LaunchFailedAsync(claim, e, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);

        foreach (var claim in claims.Where(c => c.Status?.ProviderID is not null))
        {
            var node = view.NodeOfClaim.GetValueOrDefault(claim.Metadata.Name);
            if (!NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Registered))
            {
                await RegisterAsync(claim, node, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (node is null)
            {
                continue;
            }

            if (node.Metadata.DeletionTimestamp is null && OwnershipPatch(claim, node) is { } owned)
            {
                // A node registered before nodes were given the finalizer and owner, or one whose owner was removed.
                await context.Cluster.PatchNodeAsync(node.Metadata.Name, owned, cancellationToken).ConfigureAwait(false);
            }

            if (!NodeClaimConditions.IsTrue(claim, NodeClaimConditions.Initialized))
            {
                await InitializeAsync(view, claim, node, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await TrackPodEventsAsync(claim, cancellationToken).ConfigureAwait(false);
            }
        }

        lock (gate)
        {
            foreach (var gone in launchFailures.Keys.Where(k => !view.Claims.ContainsKey(k)).ToList())
            {
                launchFailures.Remove(gone);
            }
        }
    }

    private bool LaunchDue(string claim)
    {
        lock (gate)
        {
            return !launchFailures.TryGetValue(claim, out var failed) || context.Now >= failed.Next;
        }
    }

    /// <summary>
    /// Backs off (1 s doubling to a minute) and says why; a claim that could not launch within the registration TTL
    /// is deleted, as one whose node never registered is, so its pods are planned again.
    /// </summary>
    private async Task LaunchFailedAsync(NodeClaim claim, Exception error, CancellationToken cancellationToken)
    {
        var name = claim.Metadata.Name;
        int failures;
        lock (gate)
        {
            failures = launchFailures.GetValueOrDefault(name).Failures + 1;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxLaunchBackoff.TotalSeconds, Math.Pow(2, failures - 1)));
            launchFailures[name] = (failures, context.Now + delay);
        }

        context.Logger.LogWarning(Diagnostics.ErrorText.StackUnlessExternal(error), "NodeClaim/{NodeClaim}: launch failed ({Failures} time(s)); trying again later: {Error}", name, failures, Diagnostics.ErrorText.Describe(error));
        var created = claim.Metadata.CreationTimestamp is { } at ? at.AsUtc() : context.Now;
        if (context.Now - created >= context.Options.RegistrationTtl)
        {
            await context.DeleteClaimAsync(claim, "Liveness", "lifecycle",
                $"it could not launch within {context.Options.RegistrationTtl}: {error.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (failures == 1)
        {
            context.Record("lifecycle", "launch-failed", $"NodeClaim/{name}", error.Message);
            await context.EventAsync(ClusterEvent.Warning(NodeClaim.KindName, null, name, "LaunchFailed", error.Message), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LaunchAsync(ClusterView view, InstanceCatalog catalog, NodeClaim claim, CancellationToken cancellationToken)
    {
        var name = claim.Metadata.Name;
        var poolName = ClusterView.PoolOf(claim);
        var className = claim.Spec?.NodeClassRef?.Name ?? "";
        var nodeClass = view.Snapshot.NodeClasses.FirstOrDefault(c => c.Metadata.Name == className);
        var types = context.Types.For(catalog, nodeClass, new HashSet<(string, string, string)>());
        // The claim carries its pool's sharing labels: its types offer what its node will advertise (MIG devices,
        // slices), which its requests and its expected capacity are in.
        if (view.Snapshot.GpuOperator.Resolve(GpuSharingSpec.FromLabels(claim.Metadata.Labels)).Sharing is { } sharing)
        {
            types = context.Types.Shared(types, sharing).Offered;
        }

        var requests = ResourceList.FromQuantities(claim.Spec?.Resources?.Requests);
        var options = ClaimOptions.From(NodeClaimFactory.Requirements(claim), requests, types);
        if (options.Count == 0)
        {
            await context.DeleteClaimAsync(claim, "NoCompatibleOffering", "lifecycle", "no offering of the catalog satisfies its requirements and requests", cancellationToken).ConfigureAwait(false);
            return;
        }

        CloudInstance instance;
        try
        {
            instance = await LaunchPlan.LaunchAsync(context.Cloud, name, poolName, options, className, context.Unavailable, () => context.Now,
                (attempt, error) => OnFallback(claim, attempt, error), cancellationToken).ConfigureAwait(false);
        }
        catch (InsufficientCapacityException e)
        {
            await context.DeleteClaimAsync(claim, "InsufficientCapacity", "lifecycle", e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (NodeClassNotReadyException e)
        {
            // Its pods are planned again; once the class's status says not Ready, without its pools.
            await context.DeleteClaimAsync(claim, "NodeClassNotReady", "lifecycle", e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var type = types.First(t => t.Name == instance.InstanceType);
        var labels = new Dictionary<string, string>(claim.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in type.Labels)
        {
            labels[key] = value;
        }

        labels[WellKnownLabels.Zone] = instance.Zone;
        labels[WellKnownLabels.CapacityType] = instance.CapacityType;
        await context.Cluster.UpdateNodeClaimMetadataAsync(name, labels, null, null, cancellationToken).ConfigureAwait(false);
        var status = NodeClaimConditions.With(claim.Status, NodeClaimConditions.Launched, "Launched", $"{instance.InstanceType} {instance.CapacityType} in {instance.Zone}", context.Now) with
        {
            ProviderID = instance.ProviderId,
            Capacity = NodeClaimFactory.Quantities(type.Capacity),
            Allocatable = NodeClaimFactory.Quantities(type.Allocatable),
        };
        await context.Cluster.UpdateNodeClaimStatusAsync(name, status, cancellationToken).ConfigureAwait(false);
        context.Metrics.NodeClaimsLaunched.WithLabels(poolName, instance.CapacityType).Inc();
        // EC2 does not say what an instance costs: the price is the one of the offering the plan chose.
        var price = options.FirstOrDefault(o => o.InstanceType == instance.InstanceType && o.Zone == instance.Zone && o.CapacityType == instance.CapacityType)?.Price
            ?? instance.Price;
        context.Record("lifecycle", "launch", $"NodeClaim/{name}", $"{instance.InstanceType} {instance.CapacityType} {instance.Zone} ${price:F4}/h as {instance.ProviderId}");
        await context.EventAsync(ClusterEvent.Normal(NodeClaim.KindName, null, name, "Launched",
            $"Launched {instance.InstanceType} ({instance.CapacityType}) in {instance.Zone}"), cancellationToken).ConfigureAwait(false);
    }

    private void OnFallback(NodeClaim claim, LaunchAttempt attempt, InsufficientCapacityException error)
    {
        var pool = ClusterView.PoolOf(claim);
        context.Metrics.LaunchFallbacks.WithLabels(pool, attempt.CapacityType).Inc();
        var message = $"no {attempt.CapacityType} capacity for {attempt.Offerings.Count} offering(s) ({error.Message}); trying the next tier";
        context.Record("lifecycle", "fallback", $"NodeClaim/{claim.Metadata.Name}", message);
        _ = context.EventAsync(ClusterEvent.Warning(NodeClaim.KindName, null, claim.Metadata.Name, "LaunchFallback", message), CancellationToken.None);
    }

    private async Task RegisterAsync(NodeClaim claim, V1Node? node, CancellationToken cancellationToken)
    {
        var name = claim.Metadata.Name;
        if (node is null)
        {
            var launched = NodeClaimConditions.Since(claim, NodeClaimConditions.Launched) ?? context.Now;
            if (context.Now - launched >= context.Options.RegistrationTtl)
            {
                await context.DeleteClaimAsync(claim, "Liveness", "lifecycle", $"its node did not register within {context.Options.RegistrationTtl}", cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var labels = new Dictionary<string, string>(claim.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownLabels.NodeRegistered] = "true",
        };
        // The claim's taints and startup taints join whatever the node has; only the unregistered taint goes. The
        // node gets the termination finalizer and the claim as its owner, so deleting the node drains it and ends its
        // instance through the claim, as Karpenter's registration does.
        var taints = (claim.Spec?.Taints ?? []).Concat(claim.Spec?.StartupTaints ?? [])
            .Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToList();
        var deleting = node.Metadata.DeletionTimestamp is not null;
        await context.Cluster.PatchNodeAsync(node.Metadata.Name, new NodePatch(labels, taints, [WellKnownTaints.Unregistered],
            AddFinalizers: deleting ? null : [WellKnownAnnotations.TerminationFinalizer], Owner: deleting ? null : Owner(claim)), cancellationToken).ConfigureAwait(false);
        var status = NodeClaimConditions.With(claim.Status, NodeClaimConditions.Registered, "Registered", $"node {node.Metadata.Name} joined", context.Now) with { NodeName = node.Metadata.Name };
        await context.Cluster.UpdateNodeClaimStatusAsync(name, status, cancellationToken).ConfigureAwait(false);
        context.Metrics.NodeClaimsRegistered.WithLabels(ClusterView.PoolOf(claim)).Inc();
        context.Record("lifecycle", "register", $"NodeClaim/{name}", $"node {node.Metadata.Name}");
    }

    /// <summary>The claim as the owner of its node (kubectl shows it; the garbage collector deletes the node with it).</summary>
    private static V1OwnerReference? Owner(NodeClaim claim) => claim.Metadata.Uid is { Length: > 0 } uid
        ? new V1OwnerReference { ApiVersion = NodeClaim.GroupVersion, Kind = NodeClaim.KindName, Name = claim.Metadata.Name, Uid = uid, BlockOwnerDeletion = true }
        : null;

    /// <summary>The patch that gives a registered node the finalizer and owner it lacks; null when it has both.</summary>
    private static NodePatch? OwnershipPatch(NodeClaim claim, V1Node node)
    {
        var patch = new NodePatch(AddFinalizers: [WellKnownAnnotations.TerminationFinalizer], Owner: Owner(claim));
        return patch.FinalizersAfter(node.Metadata.Finalizers) is null && patch.OwnersAfter(node.Metadata.OwnerReferences) is null ? null : patch;
    }

    private async Task InitializeAsync(ClusterView view, NodeClaim claim, V1Node node, CancellationToken cancellationToken)
    {
        if (!ClusterView.IsReady(node))
        {
            return;
        }

        // As Karpenter's initialization: the startup taints are gone, and so are the taints every starting node has
        // (a Ready node keeps not-ready until the node lifecycle controller removes it).
        if (node.Spec?.Taints?.Any(t => StartupTaints.Ignored(claim, t.Key, t.Effect)) == true)
        {
            return;
        }

        var allocatable = ResourceList.FromQuantities(node.Status?.Allocatable);
        var requested = ResourceList.FromQuantities(claim.Spec?.Resources?.Requests);
        var sharing = view.Snapshot.GpuOperator.Resolve(GpuSharingSpec.FromLabels(claim.Metadata.Labels)).Sharing;
        var shared = sharing?.ChangesResources == true;
        // GPU resources a sharing decides are judged below, as a whole: the MIG manager may leave them other than asked.
        var missing = requested.Names.FirstOrDefault(n => !BaseResources.Contains(n) && !(shared && GpuSharing.IsGpuResource(n)) && requested[n] > 0 && allocatable[n] <= 0);
        if (missing is not null)
        {
            return;
        }

        if (shared && GpuSharingVerdict.Of(claim, node, sharing!, allocatable, context.Now, context.Options.GpuSharingTimeout) is { } verdict)
        {
            if (verdict.Wait)
            {
                return;
            }

            var pool = ClusterView.PoolOf(claim);
            context.Metrics.GpuSharingMismatches.WithLabels(pool, verdict.Reason).Inc();
            context.Record("lifecycle", "gpu-sharing-mismatch", $"NodeClaim/{claim.Metadata.Name}", verdict.Message);
            await context.EventAsync(ClusterEvent.Warning(NodeClaim.KindName, null, claim.Metadata.Name, "GpuSharingMismatch", verdict.Message), cancellationToken).ConfigureAwait(false);
            await context.EventAsync(ClusterEvent.Warning("Node", null, node.Metadata.Name, "GpuSharingMismatch", verdict.Message), cancellationToken).ConfigureAwait(false);
        }

        var labels = new Dictionary<string, string>(node.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownLabels.NodeInitialized] = "true",
        };
        await context.Cluster.PatchNodeAsync(node.Metadata.Name, new NodePatch(labels), cancellationToken).ConfigureAwait(false);
        var status = NodeClaimConditions.With(claim.Status, NodeClaimConditions.Initialized, "Initialized", "node is ready with its resources", context.Now);
        await context.Cluster.UpdateNodeClaimStatusAsync(claim.Metadata.Name, status, cancellationToken).ConfigureAwait(false);
        context.Metrics.NodeClaimsInitialized.WithLabels(ClusterView.PoolOf(claim)).Inc();
        context.Record("lifecycle", "initialize", $"NodeClaim/{claim.Metadata.Name}", $"node {node.Metadata.Name} ready");
    }

    /// <summary>
    /// lastPodEventTime moves when a workload pod arrives or leaves: consolidateAfter counts from it. It is written
    /// with the time a view first showed the change; the status keeps whole seconds, so a time within a second of
    /// the one written is not written again.
    /// </summary>
    private async Task TrackPodEventsAsync(NodeClaim claim, CancellationToken cancellationToken)
    {
        if (context.PodsChangedAt(claim.Metadata.Name) is not { } changed
            || (claim.Status?.LastPodEventTime is { } written && written.AsUtc() > changed - TimeSpan.FromSeconds(1)))
        {
            return;
        }

        var status = (claim.Status ?? new NodeClaimStatus()) with { LastPodEventTime = changed.UtcDateTime };
        try
        {
            await context.Cluster.UpdateNodeClaimStatusAsync(claim.Metadata.Name, status, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Logger.LogWarning(Diagnostics.ErrorText.StackUnlessExternal(e), "could not record a pod event on NodeClaim/{Name}: {Error}", claim.Metadata.Name, Diagnostics.ErrorText.Describe(e));
        }
    }
}
