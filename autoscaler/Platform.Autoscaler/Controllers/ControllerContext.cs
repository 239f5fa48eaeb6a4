using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Metrics;
using Platform.Autoscaler.Planning;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// What the controllers share: the two ports, the clock, the offerings the cloud said it has no capacity for, the
/// catalog, NodeClaims created but not yet seen in a snapshot (so an informer's lag cannot make
/// the provisioner buy twice), and the record of what happened for metrics, events and simulate's timeline.
/// </summary>
public sealed class ControllerContext(
    IClusterPort cluster, ICloudProvider cloud, TimeProvider time, ControllerOptions options, AutoscalerMetrics metrics, ILogger logger)
{
    private static readonly TimeSpan CreatedOverlayTtl = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (NodeClaim Claim, DateTimeOffset At)> created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> nominated = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly Random names = new(options.NameSeed);
    private readonly Dictionary<string, string> reportedUnusable = new(StringComparer.Ordinal);

    // Per NodeClaim: the workload pods last seen on its node, and when a view first showed that set change (null: no
    // change seen since this process started).
    private readonly Dictionary<string, (string Pods, DateTimeOffset? ChangedAt)> podSets = new(StringComparer.Ordinal);
    private (ClusterSnapshot Snapshot, InstanceCatalog Catalog, IReadOnlySet<(string, string, string)> Unavailable, ClusterView View)? lastView;

    /// <summary>The cluster.</summary>
    public IClusterPort Cluster { get; } = cluster;

    /// <summary>The cloud.</summary>
    public ICloudProvider Cloud { get; } = cloud;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Timings.</summary>
    public ControllerOptions Options { get; } = options;

    /// <summary>Metrics.</summary>
    public AutoscalerMetrics Metrics { get; } = metrics;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>Offerings recently out of capacity.</summary>
    public UnavailableOfferings Unavailable { get; } = new();

    /// <summary>Instance types resolved per node class.</summary>
    public ResolvedTypes Types { get; } = new();

    /// <summary>NodePools and EC2NodeClasses judged as `validate` judges them.</summary>
    public ObjectChecks Checks { get; } = new();

    /// <summary>What happened, in order: simulate's timeline and the tests' evidence.</summary>
    public event Action<DecisionRecord>? Decided;

    /// <summary>Now.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The catalog; the cloud provider keeps it (EC2's is refreshed hourly), so one cache decides its age.</summary>
    public Task<InstanceCatalog> CatalogAsync(CancellationToken cancellationToken) => Cloud.GetCatalogAsync(cancellationToken);

    /// <summary>The snapshot, with NodeClaims this process created that the snapshot does not show yet.</summary>
    public async Task<ClusterSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = await Cluster.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            var seen = snapshot.NodeClaims.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in created.Where(kv => seen.Contains(kv.Key) || Now - kv.Value.At > CreatedOverlayTtl).Select(kv => kv.Key).ToList())
            {
                created.Remove(name);
            }

            return created.Count == 0 ? snapshot : snapshot with { NodeClaims = [.. snapshot.NodeClaims, .. created.Values.Select(v => v.Claim)] };
        }
    }

    /// <summary>The current snapshot, read as the solver sees it.</summary>
    public async Task<ClusterView> ViewAsync(CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var current = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var unavailable = Unavailable.Snapshot(Now);
        lock (gate)
        {
            // The in-memory cluster hands out the same snapshot until something changes: build its view once.
            if (lastView is { } last && ReferenceEquals(last.Snapshot, snapshot) && ReferenceEquals(last.Catalog, current) && last.Unavailable.SetEquals(unavailable))
            {
                return last.View;
            }
        }

        var view = ClusterView.Build(snapshot, current, Types, unavailable, Checks);
        Checks.Sweep();
        lock (gate)
        {
            lastView = (snapshot, current, unavailable, view);
            TrackPodSets(view);
        }

        await ReportUnusableAsync(view.Unusable, cancellationToken).ConfigureAwait(false);
        return view;
    }

    /// <summary>
    /// When a view first showed the workload pods on the claim's node change, or null when none has since this process
    /// started. The controllers run their own loops: the disruption controller can see a node's last pod gone before the
    /// lifecycle controller has written the claim's lastPodEventTime, and must count consolidateAfter from the leaving
    /// all the same (the status alone would still say the pod arrived long ago, and the node would be judged empty at once).
    /// </summary>
    public DateTimeOffset? PodsChangedAt(string claim)
    {
        lock (gate)
        {
            return podSets.TryGetValue(claim, out var set) ? set.ChangedAt : null;
        }
    }

    /// <summary>
    /// Notes, for every claim with a node, when its pods changed. Views built at the same time may be noted out of
    /// order; a spurious change only moves the time later, which delays consolidation and never hastens it.
    /// </summary>
    private void TrackPodSets(ClusterView view)
    {
        foreach (var (claim, node) in view.NodeOfClaim)
        {
            var pods = string.Join(",", view.PodsOnNode[node.Metadata.Name].Where(p => !ClusterView.IsDaemon(p)).Select(ClusterView.Id).Order(StringComparer.Ordinal));
            if (!podSets.TryGetValue(claim, out var before))
            {
                podSets[claim] = (pods, null);
            }
            else if (before.Pods != pods)
            {
                podSets[claim] = (pods, Now);
            }
        }

        foreach (var gone in podSets.Keys.Where(k => !view.Claims.ContainsKey(k)).ToList())
        {
            podSets.Remove(gone);
        }
    }

    /// <summary>
    /// Says once per object and reason that the autoscaler skips it (a Warning event on the object, a log line) and
    /// keeps the gauge of skipped objects per kind current.
    /// </summary>
    private async Task ReportUnusableAsync(IReadOnlyList<UnusableObject> unusable, CancellationToken cancellationToken)
    {
        var fresh = new List<UnusableObject>();
        lock (gate)
        {
            var current = unusable.ToDictionary(u => $"{u.Kind}/{u.Namespace}/{u.Name}", u => u.Reason, StringComparer.Ordinal);
            fresh.AddRange(unusable.Where(u => !(reportedUnusable.TryGetValue($"{u.Kind}/{u.Namespace}/{u.Name}", out var before) && before == u.Reason)));
            reportedUnusable.Clear();
            foreach (var (key, reason) in current)
            {
                reportedUnusable[key] = reason;
            }
        }

        foreach (var kind in new[] { NodePool.KindName, EC2NodeClass.KindName, "Pod", "DaemonSet" })
        {
            Metrics.UnusableObjects.WithLabels(kind).Set(unusable.Count(u => u.Kind == kind));
        }

        foreach (var skipped in fresh)
        {
            var subject = skipped.Namespace is null ? $"{skipped.Kind}/{skipped.Name}" : $"{skipped.Kind}/{skipped.Namespace}/{skipped.Name}";
            Logger.LogWarning("skipping {Subject}: the autoscaler cannot use it: {Reason}", subject, skipped.Reason);
            await EventAsync(ClusterEvent.Warning(skipped.Kind, skipped.Namespace, skipped.Name, "Unusable",
                $"The autoscaler skips this {skipped.Kind}: {skipped.Reason}"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a NodeClaim, first noting why (the terminated metric's reason), and records it.</summary>
    public async Task DeleteClaimAsync(NodeClaim claim, string reason, string controller, string why, CancellationToken cancellationToken)
    {
        var name = claim.Metadata.Name;
        if (claim.Metadata.DeletionTimestamp is null)
        {
            var annotations = new Dictionary<string, string>(claim.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [TerminationReasonAnnotation] = reason,
            };
            await Cluster.UpdateNodeClaimMetadataAsync(name, null, annotations, null, cancellationToken).ConfigureAwait(false);
            await Cluster.DeleteNodeClaimAsync(name, cancellationToken).ConfigureAwait(false);
        }

        Record(controller, "delete", $"NodeClaim/{name}", $"{reason}: {why}");
        await EventAsync(ClusterEvent.Normal(NodeClaim.KindName, null, name, reason, why), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why a NodeClaim is being deleted (Underutilized, Interrupted, Liveness ...): the terminated metric's reason.</summary>
    public const string TerminationReasonAnnotation = "platform.autoscaler/termination-reason";

    /// <summary>Creates a NodeClaim and remembers it until a snapshot shows it.</summary>
    public async Task<NodeClaim> CreateNodeClaimAsync(NodeClaim claim, CancellationToken cancellationToken)
    {
        var made = await Cluster.CreateNodeClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            created[made.Metadata.Name] = (made, Now);
        }

        return made;
    }

    /// <summary>
    /// How long a nomination lasts unless renewed: Karpenter's window, twice the longest batch and at least 10 s. The
    /// provisioner renews it on every pass while the pod waits.
    /// </summary>
    public TimeSpan NominationWindow => Options.BatchMax * 2 > TimeSpan.FromSeconds(10) ? Options.BatchMax * 2 : TimeSpan.FromSeconds(10);

    /// <summary>Records that the provisioner placed a pending pod on the claim's node: disruption leaves it alone for a while.</summary>
    public void Nominate(string claim)
    {
        lock (gate)
        {
            nominated[claim] = Now + NominationWindow;
            foreach (var expired in nominated.Where(kv => kv.Value <= Now).Select(kv => kv.Key).ToList())
            {
                nominated.Remove(expired);
            }
        }
    }

    /// <summary>Whether a pending pod was recently placed on the claim's node.</summary>
    public bool IsNominated(string claim)
    {
        lock (gate)
        {
            return nominated.TryGetValue(claim, out var until) && until > Now;
        }
    }

    /// <summary>A fresh NodeClaim name for a pool: pool-xxxxx, as Karpenter's generateName makes.</summary>
    public string NewClaimName(string pool)
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        lock (gate)
        {
            return pool + "-" + new string([.. Enumerable.Range(0, 5).Select(_ => Alphabet[names.Next(Alphabet.Length)])]);
        }
    }

    /// <summary>Records a decision (and logs it).</summary>
    public void Record(string controller, string action, string subject, string message)
    {
        var record = new DecisionRecord(Now, controller, action, subject, message);
        Logger.LogInformation("{Controller} {Action} {Subject}: {Message}", controller, action, subject, message);
        Decided?.Invoke(record);
    }

    /// <summary>Records an event on the cluster; a failure to record is logged, never fatal.</summary>
    public async Task EventAsync(ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Cluster.RecordEventAsync(clusterEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(Diagnostics.ErrorText.StackUnlessExternal(e), "could not record event {Reason} on {Kind}/{Name}: {Error}", clusterEvent.Reason, clusterEvent.Kind, clusterEvent.Name, Diagnostics.ErrorText.Describe(e));
        }
    }
}

/// <summary>One thing a controller did, with when and why.</summary>
public sealed record DecisionRecord(DateTimeOffset At, string Controller, string Action, string Subject, string Message);
